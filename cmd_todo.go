package main

import (
	"context"
	"io"
)

func remindCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return 1
}
