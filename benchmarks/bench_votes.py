"""Votes over HTTP against `ruche serve` on PostgreSQL: throughput, latency, exactness,
and the voting page's server time as the consultation grows.

    .venv/bin/python benchmarks/bench_votes.py [--duration 60] [--rate 500] [--quick]

(`make bench-votes BENCH_ARGS="--duration 10"`.) Targets, from the issue:

1. ≥ 500 votes/s sustained for 60 s with p95 latency < 100 ms, and afterwards the
   database holds exactly the votes the clients saw acknowledged (HTTP 200): same
   (participant, statement) pairs, same final values.
2. The ratio to a trivial JSON endpoint (/healthz, which runs `SELECT 1`) served the same
   way, measured in the same run, at the same offered rate.
3. The voting page's server time (GET /consultations/<id>/voter/, and a JSON vote with
   next=true) with 2,000 statements and 75,000 participants: it must not grow with their
   number, so it is measured at 200 participants and again at 75,000.

Everything is throw-away: PostgreSQL (default durability: fsync and synchronous_commit
on) and Redis in temporary directories on free loopback ports, a `ruche serve` started
with production settings (DEBUG off, Redis for cache, rate limits, channel layer and task
queue). The server believes it sits behind a TLS proxy (X-Forwarded-Proto: https from
127.0.0.1, as `ruche serve` trusts by default), which is how production runs it. No task
worker runs: the analyses that votes request wait in Redis.

The load generator (bench_votes_load.py) shares the machine's cores with the server,
PostgreSQL and Redis: the CPU each used during each phase is printed, with the whole
machine's (other jobs on a shared machine show there).

Requests the client gave up on (timeout) may still be served later: the database is
checked once the consultation's votes have stopped changing, and the extra rows that
belong to unanswered requests are counted apart. `--settings bench_votes_settings` runs
the same benchmark with the connection pools its report proposes (see that module).
"""

import argparse
import asyncio
import os
import random
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_votes_load import (
    STATEMENT_INPUT,
    Client,
    Recorder,
    client_address,
    open_loop,
    percentile,
    summary_ms,
)
from bench_votes_page import page_test
from bench_votes_processes import (
    Meters,
    Server,
    gist,
    load_average,
    maybe_redis,
    relative,
    ruche_command,
    run_data,
    server_env,
    timed_steps,
    verdict,
)
from bench_votes_services import free_port, postgres

TARGET_RATE, TARGET_P95_MS, TARGET_SECONDS = 500, 100, 60
VALUES = {"agree": 1, "disagree": -1, "pass": 0}
VOTE_NAMES = tuple(VALUES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=TARGET_SECONDS, help="seconds of votes")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="offered votes/s")
    parser.add_argument("--participants", type=int, default=400, help="simulated participants")
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="`ruche serve --workers`")
    parser.add_argument("--no-redis", action="store_true", help="serve without REDIS_URL")
    parser.add_argument(
        "--healthz-duration", type=float, help="seconds of /healthz (default: --duration)"
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="client timeout, seconds")
    parser.add_argument("--page-statements", type=int, default=2000)
    parser.add_argument("--page-participants", type=int, default=75_000)
    parser.add_argument("--page-small", type=int, default=200, help="participants, first pass")
    parser.add_argument("--page-votes-per", type=int, default=30)
    parser.add_argument("--page-sample", type=int, default=100, help="participants timed")
    parser.add_argument("--skip-page", action="store_true", help="skip part 3")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a 5 s smoke run at 40 votes/s, 24 participants, 1 s of /healthz, no part 3",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--settings",
        default="ruche.config.settings.production",
        help="DJANGO_SETTINGS_MODULE of the server (modules in benchmarks/ are importable)",
    )
    options = parser.parse_args()
    if options.quick:
        options.duration, options.rate, options.participants = 5, 40, 24
        options.healthz_duration, options.skip_page = 1, True
    if options.healthz_duration is None:
        options.healthz_duration = options.duration
    per_participant = options.rate / options.participants
    print(f"command: {shlex.join([relative(sys.executable), *sys.argv])}  (cwd {Path.cwd()})")
    print(f"machine: {os.cpu_count()} cores, shared; {load_average()} at start")
    missed: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="ruche-bench-votes.") as scratch,
        postgres() as pg,
        maybe_redis(not options.no_redis) as rd,
    ):
        env = server_env(pg.url, rd.url if rd else "", Path(scratch), options.settings)
        print(
            f"PostgreSQL {pg.version} on 127.0.0.1:{pg.port} (temp dir; initdb defaults "
            f"plus {pg.settings}: fsync and synchronous_commit on, password auth "
            "scram-sha-256 over TCP)"
        )
        print(f"Redis {rd.version} on {rd.url}" if rd else "Redis: none (--no-redis)")
        ruche = ruche_command()
        # Side by side to save time; `ruche serve` would collect the files itself.
        timed_steps(
            {
                "migrate": [*ruche, "migrate", "--noinput", "--verbosity", "0"],
                "collectstatic": [*ruche, "collectstatic", "--noinput", "--verbosity", "0"],
            },
            env,
        )
        setup = run_data(
            ["setup", "--statements", str(options.statements)], env, "load test consultation"
        )
        print(
            f"  open public anonymous consultation {setup['consultation']} with "
            f"{len(setup['statements'])} published statements"
        )
        port = free_port()
        serve = [*ruche, "serve", "--host", "127.0.0.1", "--port", str(port)]
        serve += ["--workers", str(options.workers), "--no-collectstatic"]
        with Server(serve, env, Path(scratch) / "serve.log", port) as server:
            print(
                f"server: {shlex.join(serve)}  (DEBUG off, "
                f"{options.workers} uvicorn workers, REDIS_URL "
                f"{'set' if rd else 'unset'}, LOG_LEVEL=warning so no access log; "
                f"settings {options.settings}; ready after {server.ready_seconds:.1f} s)"
            )
            meters = Meters(server.pid, pg, rd)
            print(
                f"load: {options.participants} participants, {options.rate:.0f} votes/s "
                f"offered open-loop ({per_participant:.2f} votes/s each, rate limit "
                "30 per 10 s), each from its own address (X-Forwarded-For), JSON votes with "
                f"next=true as the voting card sends them, "
                f"on random unvoted statements, 5% re-votes; client timeout "
                f"{options.timeout:.0f} s"
            )
            results = asyncio.run(load_test(options, setup, port, meters, Path(scratch), pg.url))
            missed += report_load(options, results)
            if not options.skip_page:
                missed += page_test(options, env, port, server.pid)
    print(f"\nmachine at the end: {load_average()}")
    print("all targets met" if not missed else f"MISSED: {', '.join(missed)}")
    return 0


@dataclass
class Participant:
    index: int
    order: list[str]
    cookies: dict[str, str] = field(default_factory=dict)
    next_index: int = 0
    acked: list[str] = field(default_factory=list)
    in_flight: set[str] = field(default_factory=set)
    header: bytes = b""

    @property
    def id(self) -> str:
        return self.cookies.get("ruche_participant", "").split(":")[0]

    @property
    def address(self) -> str:
        """This participant's own client address, as the TLS proxy would forward it."""
        return client_address(self.index)

    def refresh_header(self, origin: str) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.header = (
            f"Cookie: {cookie}\r\nX-CSRFToken: {self.cookies.get('csrftoken', '')}\r\n"
            f"X-Forwarded-For: {self.address}\r\n"
            f"Origin: {origin}\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
        ).encode()


async def load_test(options, setup, port, meters, scratch: Path, database_url: str) -> dict:
    consultation = setup["consultation"]
    voter, votes = f"/consultations/{consultation}/voter/", f"/consultations/{consultation}/votes/"
    origin = f"https://127.0.0.1:{port}"
    rng = random.Random(options.seed)
    client = Client("127.0.0.1", port)
    people = [
        Participant(i, rng.sample(setup["statements"], len(setup["statements"])))
        for i in range(options.participants)
    ]
    acked: dict[tuple[str, str], str] = {}
    unanswered: set[tuple[str, str]] = set()
    errors_seen: dict[str, str] = {}

    async def post_vote(person: Participant, statement: str, name: str) -> str:
        body = f'{{"statement":"{statement}","vote":"{name}","next":true}}'.encode()
        person.in_flight.add(statement)
        try:
            response = await client.request("POST", votes, headers=person.header, body=body)
        except BaseException:  # timed out (cancelled) or failed: the vote may be stored
            unanswered.add((person.id, statement))
            raise
        finally:
            person.in_flight.discard(statement)
        if response.status == 200:
            if "ruche_participant" in response.cookies:
                person.cookies["ruche_participant"] = response.cookies["ruche_participant"]
                person.refresh_header(origin)
            acked[(person.id, statement)] = name
            if statement not in person.acked:
                person.acked.append(statement)
        else:
            errors_seen.setdefault(str(response.status), gist(response.body))
        return str(response.status)

    # Each participant opens the voting page (csrftoken cookie) and casts a first vote,
    # which creates them and sets their cookie: a browser arriving on the card.
    meters.start()
    started = time.perf_counter()
    enroll_times: list[float] = []
    gate = asyncio.Semaphore(16)

    async def enroll(person: Participant) -> None:
        async with gate:
            t0 = time.perf_counter()
            page = await client.request(
                "GET", voter, headers=f"X-Forwarded-For: {person.address}\r\n".encode()
            )
            if page.status != 200:
                raise RuntimeError(f"GET {voter}: {page.status} {page.body[:500]!r}")
            person.cookies.update(page.cookies)
            person.refresh_header(origin)
            first = STATEMENT_INPUT.search(page.body)
            statement = first.group(1).decode() if first else person.order[0]
            person.order.remove(statement)
            person.order.insert(0, statement)
            person.next_index = 1
            status = await post_vote(person, statement, rng.choice(VOTE_NAMES))
            if status != "200" or not person.id:
                raise RuntimeError(f"first vote: {status} {errors_seen.get(status, '')}")
            enroll_times.append(time.perf_counter() - t0)

    await asyncio.gather(*(enroll(person) for person in people))
    enroll_seconds = time.perf_counter() - started
    enroll_usage = meters.stop()

    def pick(person: Participant) -> str:
        revotable = [s for s in person.acked if s not in person.in_flight]
        if revotable and rng.random() < 0.05:
            return rng.choice(revotable)
        statement = person.order[person.next_index % len(person.order)]
        person.next_index += 1
        return statement

    async def fire_vote(i: int) -> str:
        person = people[i % len(people)]
        statement = pick(person)
        if statement in person.in_flight:  # only once every statement was used: never here
            return "skipped"
        return await post_vote(person, statement, rng.choice(VOTE_NAMES))

    meters.start()
    vote_run = await open_loop(
        fire_vote, rate=options.rate, duration=options.duration, timeout=options.timeout
    )
    vote_usage = meters.stop()
    vote_usage.requests_ok = vote_run.ok
    # Requests the client gave up on may still be queued in the server: wait until the
    # consultation's votes stop changing before measuring /healthz and checking them.
    settle = await asyncio.to_thread(_wait_for_quiet, database_url, consultation)

    health_client = Client("127.0.0.1", port)

    async def fire_health(i: int) -> str:
        response = await health_client.request("GET", "/healthz")
        return str(response.status)

    meters.start()
    health_run = await open_loop(
        fire_health, rate=options.rate, duration=options.healthz_duration, timeout=options.timeout
    )
    health_usage = meters.stop()
    health_usage.requests_ok = health_run.ok
    client.close()
    health_client.close()
    check = check_votes(database_url, consultation, acked, unanswered)
    return {
        "enroll_seconds": enroll_seconds,
        "enroll_times": enroll_times,
        "enroll_usage": enroll_usage,
        "votes": vote_run,
        "vote_usage": vote_usage,
        "vote_connections": client.opened,
        "health": health_run,
        "health_usage": health_usage,
        "health_connections": health_client.opened,
        "check": check,
        "settle": settle,
        "errors_seen": errors_seen,
        "participants": len(people),
    }


def _wait_for_quiet(database_url: str, consultation: str, limit: float = 300) -> float:
    """Seconds until the consultation's votes (count, last update) stay still for 3 s."""
    import psycopg

    start = time.perf_counter()
    last, still = None, 0
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.perf_counter() - start < limit:
            now = conn.execute(
                "SELECT count(*), max(updated_at) FROM consultations_vote "
                "WHERE consultation_id = %s",
                [consultation],
            ).fetchone()
            still = still + 1 if now == last else 0
            if still >= 3:
                break
            last = now
            time.sleep(1)
    return time.perf_counter() - start - 3


def check_votes(database_url: str, consultation: str, acked: dict, unanswered: set) -> dict:
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT participant_id::text, statement_id::text, value FROM consultations_vote "
            "WHERE consultation_id = %s",
            [consultation],
        ).fetchall()
    stored = {(p, s): v for p, s, v in rows}
    expected = {pair: VALUES[name] for pair, name in acked.items()}
    missing = expected.keys() - stored.keys()
    extra = stored.keys() - expected.keys()
    wrong = [pair for pair in expected.keys() & stored.keys() if expected[pair] != stored[pair]]
    return {
        "rows": len(rows),
        "acked": len(expected),
        "missing": len(missing),
        "extra": len(extra),
        "wrong": len(wrong),
        "extra_unanswered": len(extra & unanswered),
        "wrong_unanswered": len(set(wrong) & unanswered),
        "unanswered": len(unanswered),
        "equal": stored == expected,
    }


def report_load(options, results: dict) -> list[str]:
    missed: list[str] = []

    def judge(ok: bool, name: str) -> str:
        return "(not judged in a quick run)" if options.quick else verdict(ok, name, missed)

    votes: Recorder = results["votes"]
    health: Recorder = results["health"]
    print("\n== 1. Votes over HTTP ==")
    times = results["enroll_times"]
    print(
        f"arrival: {results['participants']} participants each GET the voting page then cast "
        f"a first vote (16 at a time): {results['enroll_seconds']:.1f} s, per participant "
        f"median {percentile(times, 50) * 1000:.0f} ms, p95 {percentile(times, 95) * 1000:.0f} ms"
        f"; {results['enroll_usage']}"
    )
    window = votes.last_done - votes.first_due
    # Sustained = every vote offered at the target rate over the target duration was
    # acknowledged (open loop: the client never waits for the server), with the latency
    # judged below. Dividing by first-due → last-answer would charge the last request's
    # own latency to the rate and read 499/s for a server that answered all 30,000.
    achieved = votes.ok / options.duration if options.duration > 0 else 0.0
    offered = int(options.rate * options.duration)
    print(
        f"offered {offered:,} votes in {options.duration:.0f} s ({options.rate:.0f}/s), "
        f"acknowledged (200) {votes.ok:,}; outcomes {dict(sorted(votes.outcomes.items()))}"
    )
    per_second = _per_second(votes)
    sustained = options.rate >= TARGET_RATE and votes.ok == offered
    print(
        f"throughput: {achieved:.0f} votes/s acknowledged over the {options.duration:.0f} s "
        f"offer ({votes.ok / window if window > 0 else 0:.0f}/s over first due → last answer, "
        f"{window:.1f} s); per-second acks (completion time, whole seconds): min "
        f"{min(per_second, default=0)}, median {percentile(per_second, 50):.0f}, max "
        f"{max(per_second, default=0)}  target ≥ {TARGET_RATE}/s for {TARGET_SECONDS} s, "
        f"no errors {judge(sustained and options.duration >= TARGET_SECONDS, 'votes/s')}"
    )
    p95 = percentile(votes.latencies, 95) * 1000
    print(
        f"latency from due time (open loop): {summary_ms(votes.latencies)}  target p95 < "
        f"{TARGET_P95_MS} ms {judge(p95 < TARGET_P95_MS, 'vote p95')}"
    )
    print(
        f"latency from actual send: {summary_ms(votes.service)}; {votes.late_starts:,} requests "
        f"left the client > 10 ms after their due time; {results['vote_connections']} "
        "connections opened"
    )
    print(f"CPU during the votes: {results['vote_usage']}")
    for status, body in sorted(results["errors_seen"].items()):
        print(f"  first {status} body: {body}")
    check = results["check"]
    print(
        f"db votes = acked: {'yes' if check['equal'] else 'no'}  ({check['rows']:,} rows in "
        f"consultations_vote for the consultation, {check['acked']:,} acknowledged "
        f"(participant, statement) pairs incl. the {results['participants']} first votes; "
        f"missing {check['missing']}, extra {check['extra']}, wrong value {check['wrong']})"
    )
    print(
        f"  (checked once the votes stopped changing, {results['settle']:.1f} s after the last "
        f"answer; {check['unanswered']:,} requests got no answer (timeout or connection "
        f"error); {check['extra_unanswered']:,} of the extra rows are theirs (stored "
        f"although the client never saw an acknowledgement), and {check['wrong_unanswered']:,}"
        " of the wrong values are on pairs where such a request may have landed after the "
        "acknowledged one)"
    )
    if not check["equal"]:
        missed.append("db = acked")
    print("\n== 2. /healthz (GET, JSON, runs SELECT 1) served the same way, same client ==")
    # Same definition as the votes' rate: answered over the offer's duration.
    h_rate = health.ok / options.healthz_duration if options.healthz_duration > 0 else 0.0
    print(
        f"offered {int(options.rate * options.healthz_duration):,} requests in "
        f"{options.healthz_duration:.0f} s ({options.rate:.0f}/s), answered 200 {health.ok:,}; "
        f"outcomes {dict(sorted(health.outcomes.items()))}; {h_rate:.0f}/s"
    )
    print(f"latency from due time: {summary_ms(health.latencies)}")
    print(f"CPU during /healthz: {results['health_usage']}")
    ratio = [
        (q, percentile(votes.latencies, q) / percentile(health.latencies, q)) for q in (50, 95, 99)
    ]
    print(
        f"ratio votes / healthz at the same offered rate: throughput {achieved / h_rate:.2f}; "
        + ", ".join(f"p{q} latency {r:.1f}×" for q, r in ratio)
        + f"; server CPU per request {_cpu_ratio(results)}"
    )
    return missed


def _per_second(recorder: Recorder) -> list[int]:
    buckets: dict[int, int] = {}
    for done in recorder.completions:
        second = int(done - recorder.first_due)
        buckets[second] = buckets.get(second, 0) + 1
    if not buckets:
        return []
    last = max(buckets)
    return [buckets.get(s, 0) for s in range(0, last)]  # the last, partial second left out


def _cpu_ratio(results) -> str:
    votes, health = results["vote_usage"], results["health_usage"]
    abandoned = sum(
        count
        for run in (results["votes"], results["health"])
        for outcome, count in run.outcomes.items()
        if outcome != "200"
    )
    if abandoned or not votes.requests_ok or not health.requests_ok:
        return (
            f"n/a ({abandoned:,} requests failed or were abandoned: the server's work is unknown)"
        )
    per_vote = (votes.server + votes.postgres) / votes.requests_ok
    per_health = (health.server + health.postgres) / health.requests_ok
    return (
        f"(uvicorn + PostgreSQL) {per_vote * 1000:.1f} ms per vote vs "
        f"{per_health * 1000:.1f} ms per /healthz = {per_vote / per_health:.1f}×"
    )


if __name__ == "__main__":
    sys.exit(main())
