import os, resource, statistics, subprocess, sys, sysconfig
# CPU time (user + system) of each child interpreter: less sensitive than wall time to other load on the machine
n = int(sys.argv[1]); stmt = sys.argv[2]
def cpu_of(code):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
base, imp = [], []
for _ in range(n):
    base.append(cpu_of("pass")); imp.append(cpu_of(stmt))
mods = subprocess.run([sys.executable, "-c", stmt + "; import sys; print(sum(1 for m in list(sys.modules.values()) if (getattr(m, '__file__', None) or '').startswith('/opt/venv/')))"], capture_output=True, text=True).stdout.strip()
med = statistics.median
print("CPU ms, median of %d (min-max): python -c pass %.0f (%.0f-%.0f); python -c '%s' %.0f (%.0f-%.0f); %s modules from /opt/venv" % (
    n, med(base), min(base), max(base), stmt, med(imp), min(imp), max(imp), mods))
