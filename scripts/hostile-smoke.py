#!/usr/bin/env python3
"""The attacks of issue 19 against a running release `duizhao serve`, with its memory measured.

    cargo build --release && scripts/hostile-smoke.py [--binary target/release/duizhao]

Starts the demo site in a temporary directory (SQLite, or PostgreSQL with --database-url), then:
  1. login bursts: 60 concurrent wrong passwords for one account, 60 across usernames, and a
     burst of 200 from one client (peak RSS sampled every 20 ms);
  2. the page cache: 300 requests with ?utm=N to one article, then 3,000 distinct searches,
     against a cache budget of 32 MiB (RSS before and after, and after the pages expire);
  3. hostile URLs and forms: control characters, NUL, invalid UTF-8, SQL metacharacters, huge
     headers and bodies, open-redirect targets; any 5xx is a failure;
  4. slow headers: 300 connections that trickle their headers must be cut off;
  5. with --schemathesis (pip install schemathesis), schemathesis against the OpenAPI document,
     checking that no request gets a 5xx.
Prints a summary and exits non-zero if a check fails.
"""

import argparse
import concurrent.futures
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PASSWORD = "tidal mango violin sediment"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sampler:
    """Samples a process's RSS in the background; `peak` is the highest seen."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, rss_mb(pid), True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.02)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak


def request(port, method, path, headers=None, body=None, timeout=60):
    """Sends one request; returns (status, headers dict, body bytes), status 0 if refused."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.putheader("Host", "127.0.0.1")
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        headers = {}
        for k, v in r.getheaders():
            # Repeated headers (Set-Cookie) are kept, one per line.
            headers[k.lower()] = headers[k.lower()] + "\n" + v if k.lower() in headers else v
        return r.status, headers, data
    except (ConnectionError, http.client.HTTPException, OSError):
        return 0, {}, b""


def login(port, username, password):
    status, headers, _ = request(port, "GET", "/admin/login")
    cookie = re.search(r"dz_login=([0-9a-f]+)", headers.get("set-cookie", ""))
    token = cookie.group(1) if cookie else ""
    body = urllib.parse.urlencode(
        {"csrf": token, "username": username, "password": password}
    ).encode()
    status, _, _ = request(
        port,
        "POST",
        "/admin/login",
        {
            "Cookie": f"dz_login={token}",
            "Origin": f"http://127.0.0.1:{port}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body,
    )
    return status


def api_token(port):
    """Signs in as the editor and makes an API token through the back office's form."""
    status, headers, _ = request(port, "GET", "/admin/login")
    login_token = re.search(r"dz_login=([0-9a-f]+)", headers.get("set-cookie", "")).group(1)
    body = urllib.parse.urlencode({"csrf": login_token, "username": "ed", "password": PASSWORD})
    status, headers, _ = request(port, "POST", "/admin/login", {
        "Cookie": f"dz_login={login_token}", "Origin": f"http://127.0.0.1:{port}",
        "Content-Type": "application/x-www-form-urlencoded"}, body.encode())
    session = re.search(r"dz_session=([0-9a-f]+)", headers.get("set-cookie", "")).group(1)
    cookie = f"dz_session={session}"
    _, _, page = request(port, "GET", "/admin/tokens", {"Cookie": cookie})
    csrf = re.search(rb'name="csrf" value="([0-9a-f]+)"', page).group(1).decode()
    _, _, page = request(port, "POST", "/admin/tokens", {
        "Cookie": cookie, "Origin": f"http://127.0.0.1:{port}",
        "Content-Type": "application/x-www-form-urlencoded"},
        urllib.parse.urlencode({"csrf": csrf, "name": "smoke"}).encode())
    return re.search(rb"(dz_[0-9a-zA-Z_]+)", page).group(1).decode()


def burst(port, names, password, workers):
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda n: login(port, n, password), names))


def counts(statuses):
    out = {}
    for s in statuses:
        out[s] = out.get(s, 0) + 1
    return dict(sorted(out.items()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/duizhao")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--schemathesis", action="store_true")
    args = parser.parse_args()
    failures = []
    data = tempfile.mkdtemp(prefix="duizhao-smoke-")
    port = free_port()
    config = os.path.join(data, "site.toml")
    with open(config, "w") as f:
        f.write(f'listen = "127.0.0.1:{port}"\ndata_dir = "{data}/site"\n')
        f.write(f'base_url = "http://127.0.0.1:{port}"\npage_cache_bytes = 33554432\n')
        f.write("page_cache_seconds = 5\n")
        if args.database_url:
            f.write(f'database_url = "{args.database_url}"\n')
    subprocess.run(
        [args.binary, "user", "--config", config, "add", "ed", "--role", "editor", "--password-stdin"],
        input=PASSWORD + "\n", text=True, check=True, stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen(
        [args.binary, "serve", "--config", config, "--demo"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(data, "server.log"), "w"),
    )
    try:
        for _ in range(300):
            if request(port, "GET", "/healthz")[0] == 200:
                break
            time.sleep(0.1)
        else:
            sys.exit("the server did not start")
        base = rss_mb(server.pid)
        print(f"server up, RSS {base:.0f} MB")
        token = api_token(port) if args.schemathesis else None

        # 1. Login bursts.
        sampler = Sampler(server.pid)
        one = burst(port, ["ed"] * 60, "wrong password here", 60)
        across = burst(port, [f"user{i}" for i in range(60)], "wrong password here", 60)
        flood = burst(port, [f"flood{i}" for i in range(200)], "wrong password here", 100)
        peak = sampler.stop()
        checked_one = one.count(401)
        print(f"login, one account x60: {counts(one)} (checked {checked_one})")
        print(f"login, 60 accounts: {counts(across)} (checked {across.count(401)})")
        print(f"login, 200 from one client: {counts(flood)}")
        print(f"login bursts: peak RSS {peak:.0f} MB (from {base:.0f} MB)")
        if checked_one > 5 or across.count(401) > 20:
            failures.append("more password checks than the limits allow")
        if peak > 300:
            failures.append(f"login bursts took RSS to {peak:.0f} MB")
        if any(s >= 500 and s != 503 for s in one + across + flood):
            failures.append("a login burst got a 5xx other than 503")

        # 2. The page cache.
        status, _, home = request(port, "GET", "/en/")
        article = re.search(rb'href="(/en/articles/[^"]+)"', home).group(1).decode()
        before = rss_mb(server.pid)
        for i in range(300):
            request(port, "GET", f"{article}?utm={i}")
        after_utm = rss_mb(server.pid)
        statuses = []
        for i in range(3000):
            q = urllib.parse.quote(f"港口 trade {i}")
            statuses.append(request(port, "GET", f"/zh-hant/search?q={q}")[0])
        after_search = rss_mb(server.pid)
        time.sleep(20)
        request(port, "GET", "/en/")
        after_expiry = rss_mb(server.pid)
        print(
            f"page cache (budget 32 MiB): RSS {before:.0f} MB, after 300 ?utm=N {after_utm:.0f} MB, "
            f"after 3,000 searches {after_search:.0f} MB, after expiry {after_expiry:.0f} MB; "
            f"search statuses {counts(statuses)}"
        )
        if after_utm - before > 20:
            failures.append("tracking parameters grew the cache")
        if after_search - before > 32 + 64:
            failures.append("the cache outgrew its budget")

        # 3. Hostile URLs and forms.
        paths = []
        for p in ["%00", "%01", "%0d%0a", "%ff%fe", "'", "%27%20OR%201=1--", "%25", "..%2f..%2fetc%2fpasswd"]:
            for t in ["/en/articles/{}", "/en/topics/{}", "/en/authors/{}", "/en/sections/{}/feed.rss",
                      "/en/search?q={}&topic={}", "/api/v1/articles?topic={}", "/api/v1/articles/{}",
                      "/en/?page={}", "/sitemaps/{}", "/media/{}", "/static/{}", "/admin/articles/{}"]:
                paths.append(t.replace("{}", p))
        bad = []
        for path in paths:
            status = request(port, "GET", path)[0]
            if status >= 500 or status == 0:
                bad.append((path, status))
        for next_ in ["/%09/evil.example", "//evil.example", "/%5Cevil", "/%01", "https://evil.example"]:
            status, headers, _ = request(
                port, "POST", "/prefs", {"Content-Type": "application/x-www-form-urlencoded"},
                f"size=large&next={next_}".encode(),
            )
            location = headers.get("location", "")
            if status != 303 or location != "/":
                bad.append((f"/prefs next={next_}", f"{status} {location!r}"))
        status = request(port, "GET", "/en/", {"X-Junk": "a" * 1_000_000})[0]
        if status >= 500:
            bad.append(("a 1 MB header", status))
        status = request(port, "POST", "/api/v1/articles", {"Content-Type": "application/json"},
                         b"[" * 200_000 + b"]" * 200_000)[0]
        if status >= 500:
            bad.append(("deep JSON", status))
        print(f"hostile requests: {len(paths) + 7} sent, {len(bad)} bad")
        for b in bad:
            print(f"  {b}")
        if bad:
            failures.append("hostile requests got a 5xx or an off-site redirect")

        # 4. Slow headers: 300 connections trickling their headers are all cut off, and the
        # site answers meanwhile.
        slow = []
        for _ in range(300):
            c = socket.create_connection(("127.0.0.1", port))
            c.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(c)
        started = time.time()
        served = request(port, "GET", "/en/")[0]
        open_ = list(slow)
        while open_ and time.time() - started < 40:
            time.sleep(1)
            still = []
            for c in open_:
                try:
                    c.sendall(b"X")
                    c.settimeout(0.01)
                    if c.recv(1024) == b"":
                        c.close()
                        continue
                except (BlockingIOError, socket.timeout):
                    pass
                except OSError:
                    c.close()
                    continue
                still.append(c)
            open_ = still
        print(f"slow headers: {len(slow) - len(open_)} of {len(slow)} cut off after "
              f"{time.time() - started:.0f} s; the site answered {served} meanwhile")
        if open_ or served != 200:
            failures.append("slow-header connections were kept open, or the site stalled")
        for c in open_:
            c.close()

        # 5. schemathesis.
        if args.schemathesis:
            st = shutil.which("schemathesis") or shutil.which("st")
            if not st:
                failures.append("schemathesis is not installed (pip install schemathesis)")
            else:
                run = subprocess.run(
                    [st, "run", f"http://127.0.0.1:{port}/api/v1/openapi.json",
                     "--checks", "not_a_server_error", "--max-examples", "200",
                     "-H", f"Authorization: Bearer {token}"],
                    cwd=data,
                )
                print(f"schemathesis: exit {run.returncode}")
                if run.returncode != 0:
                    failures.append("schemathesis found a server error")
        print(f"RSS at the end: {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)
    if failures:
        print("FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
