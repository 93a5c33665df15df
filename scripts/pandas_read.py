"""Read a roster with pandas, as analysts do today: the reference the
import benchmark compares against (BenchmarkPandasReadExcel in
importers/bench_test.go). Usage: python3 pandas_read.py FILE.xlsx
Prints the number of rows read."""
import sys

import pandas as pd

frame = pd.read_excel(sys.argv[1], sheet_name="Roster", header=2)
print(len(frame))
# The process's own peak memory (VmHWM, which exec starts afresh), for the
# benchmark: rusage's maxrss would also count the parent's pages at fork.
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmHWM:"):
            print("vmhwm-kB:", line.split()[1])
