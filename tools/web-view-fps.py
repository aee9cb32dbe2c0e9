#!/usr/bin/python3
"""The browser view's frame rate on a 1 M events/s stream, in headless chromium (Debian's chromium and
chromedriver, driven by python3-selenium with its driver download switched off), with nine more clients attached:

    tools/web-view-fps.py .build/release/ottt [--seconds 40] [--rate 1000000] [--clients 9] [--net small32]

Runs `ottt bench latency --net NET --rate RATE --web 127.0.0.1:0 --clients N --memory SECONDS` (the learner on a
synthetic stream paced to real time, the view served with N WebSocket readers), opens the page headless at
1280×800 as one more client, and after 5 s counts the page's draws (requestAnimationFrame callbacks that paint
the event canvas; the page paints at most every 30 ms) over the next SECONDS − 10 s, printing the rate each
second, then the median, the lowest second and the whole window's mean, the load average, and the benchmark's
memory line. Exit 0 when the mean is at least 28 frames a second (the goal: about 30), 1 when not; prints a
`skipped:` line and exits 0 when chromium, chromedriver or selenium is missing."""
import os, re, shutil, statistics, subprocess, sys, time

def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

if len(sys.argv) < 2 or sys.argv[1].startswith("--"):
    raise SystemExit(__doc__)
ottt = os.path.abspath(sys.argv[1])
seconds, rate, clients, net = int(arg("--seconds", "40")), arg("--rate", "1000000"), arg("--clients", "9"), arg("--net", "small32")
missing = [p for p in ["/usr/bin/chromium", "/usr/bin/chromedriver"] if not os.path.exists(p)]
try:
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:
    missing.append("python3-selenium")
if missing:
    print("skipped: %s missing" % ", ".join(missing))
    sys.exit(0)
if seconds < 15:
    raise SystemExit("--seconds: at least 15 (5 s to settle, 5 s to spare at the end)")

def load(): return open("/proc/loadavg").read().split()[:3]

err_path = "/tmp/web-view-fps-%d.stderr" % os.getpid()
err = open(err_path, "w+")
proc = subprocess.Popen([ottt, "bench", "latency", "--net", net, "--rate", rate, "--web", "127.0.0.1:0",
                         "--clients", clients, "--memory", str(seconds)], stdout=subprocess.PIPE, stderr=err, text=True)
url = None
for _ in range(600):
    err.seek(0)
    m = re.search(r"live view at (\S+)", err.read())
    if m: url = m.group(1); break
    if proc.poll() is not None: break
    time.sleep(0.1)
if url is None:
    proc.kill(); err.seek(0)
    raise SystemExit("ottt did not print its URL: " + err.read()[-500:])

o = webdriver.ChromeOptions()
o.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800"]:
    o.add_argument(a)
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
started = time.time()
try:
    d.get(url)
    time.sleep(5)
    js = lambda e: d.execute_script("return " + e)
    draws0, t0, msgs0 = js("window.ottt.draws"), js("performance.now()"), js("window.ottt.messages")
    rates, last_d, last_t = [], draws0, t0
    while time.time() - started < seconds - 5:
        time.sleep(1)
        dn, tn = js("window.ottt.draws"), js("performance.now()")
        rates.append((dn - last_d) * 1000 / (tn - last_t)); last_d, last_t = dn, tn
        print("%.1f frames/s" % rates[-1], flush=True)
    mean = (last_d - draws0) * 1000 / (last_t - t0)
    messages = js("window.ottt.messages") - msgs0
    events = js("window.ottt.view && window.ottt.view.events_seen")
finally:
    d.quit()
out, _ = proc.communicate(timeout=seconds + 120)
print("page: %.1f frames/s mean over %.0f s (median %.1f, lowest second %.1f), %.1f messages/s; load %s"
      % (mean, (last_t - t0) / 1000, statistics.median(rates), min(rates), messages * 1000 / (last_t - t0), " ".join(load())))
print("bench: " + out.strip())
os.remove(err_path)
ok = mean >= 28
print("goal (about 30 frames/s, at least 28): " + ("met" if ok else "NOT met"))
sys.exit(0 if ok and proc.returncode == 0 else 1)
