package main

import (
	"context"
	"io"
)

func usersCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return 1
}
func remindCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return 1
}
func serveCmd(ctx context.Context, cfg Config, args []string, sys system) int { return 1 }
func forward(ctx context.Context, cfg *Config, args []string, stdout, stderr io.Writer) (int, bool) {
	return 0, false
}
