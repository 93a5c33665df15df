package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/training"
)

// registersCmd dispatches `registers list`, `registers add` and
// `registers withdraw ID`: the same use case as the Registers pages and
// /api/v1/registers, run with HR's rights as the server's operator.
func registersCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return dispatch(ctx, env, "registers", []subcommand{{"list", registersList}, {"add", registersAdd}, {"withdraw", registersWithdraw}}, args, stdout, stderr)
}

func (env *cmdEnv) registers() (*registers.Service, registers.Actor) {
	return &registers.Service{Store: env.store, Now: env.now, Log: env.log},
		registers.Actor{User: training.User{Username: env.by, Role: training.RoleHR}}
}

func registersList(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("registers list", "[--format table|json]")
	format := fs.String("format", "table", "table or json")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "registers list: unexpected argument %q", pos[0])
	}
	svc, by := env.registers()
	list, err := svc.List(ctx, by)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(list)
	case "table":
		rows := [][]string{{"ID", "SESSION", "COURSE", "PLACE", "PEOPLE", "ADDED", "BY", "STATE"}}
		for _, r := range list {
			state := "withdrawable until " + r.WithdrawUntil().String()
			switch {
			case r.Withdrawn():
				state = "withdrawn by " + r.WithdrawnBy
			case !r.CanWithdraw:
				state = "recorded"
			}
			rows = append(rows, []string{r.ID, r.Date.String(), r.CourseID, r.Place, strconv.Itoa(len(r.Attendees)), strconv.Itoa(r.Added), r.By, state})
		}
		err = writeColumns(stdout, rows)
	default:
		return usageError(stderr, "registers list: --format %q must be table or json", *format)
	}
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	return exitOK
}

// registersAdd previews a register of the IDs given (arguments, each may
// hold several separated by commas), and saves it with --yes.
func registersAdd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("registers add", "--course ID --date YYYY-MM-DD --place TEXT [--yes] ID...")
	course := fs.String("course", "", "the course's ID, title or alias")
	date := fs.String("date", "", "the session's date, YYYY-MM-DD")
	place := fs.String("place", "", "where the session took place")
	yes := fs.Bool("yes", false, "save the register (without it, only the preview is printed)")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	in := training.RegisterInput{Course: *course, Date: *date, Place: *place, IDs: strings.Join(pos, "\n")}
	svc, by := env.registers()
	p, err := svc.Preview(ctx, by, in)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	rows := [][]string{{"ID", "NAME", "UNIT", "CHECK"}}
	for _, l := range p.Lines {
		check := "recorded"
		switch {
		case l.Unknown:
			check = "unknown ID: not recorded"
		case l.NotRequired:
			check = "not required (recorded)"
		case l.Compliant:
			check = "already compliant (recorded)"
		}
		rows = append(rows, []string{l.Given, l.Name, l.Unit, check})
	}
	if err := writeColumns(stdout, rows); err != nil {
		fail(stderr, err)
		return exitFail
	}
	if !*yes {
		fmt.Fprintf(stdout, "%d to record, %d unknown: nothing saved; run again with --yes to save.\n", p.Recorded, p.Unknown)
		return exitOK
	}
	r, err := svc.Save(ctx, by, in, true)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "Register %s saved: %d attendees, %d completions added; it can be withdrawn until %s.\n", r.ID, len(r.Attendees), r.Added, r.WithdrawUntil())
	return exitOK
}

func registersWithdraw(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("registers withdraw", "ID")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "registers withdraw: give one register ID (registers list shows them)")
	}
	svc, by := env.registers()
	r, err := svc.Withdraw(ctx, by, pos[0])
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "Register %s withdrawn: its %d completions were taken back.\n", r.ID, r.Added)
	return exitOK
}
