"""A live workshop over real WebSockets on loopback against `ruche serve`.

    ruche bench workshop --participants 300 --minutes 3 --json out.json [--workers 2 --redis]
    .venv/bin/python benchmarks/bench_workshop.py …   (the same)

(`make bench-workshop` runs 300 and 1,000 participants on one server process, then 1,000
on two processes with Redis.) Targets, from the issue, on this 2-core machine: 300
participants with p95 ≤ 300 ms, 1,000 participants with p95 ≤ 1,000 ms, and `lost` and
`duplicated` 0 in both.

Services are throw-away, as in bench_votes.py: PostgreSQL (default durability) and,
with --redis, Redis on free loopback ports, and `ruche serve` with production settings
(DEBUG off; with --redis the channel layer is channels_redis' RedisPubSubChannelLayer,
without it the in-memory layer, which only works with one server process).

The workshop (an ideation with two prompts, a grouping by the facilitator, a dot vote on
the clusters) and its attendees are prepared through the actions layer in a Django
subprocess (bench_workshop_data.py): each attendee joins with `actions.do_join` and gets
the participant cookie the join view would set; the facilitator gets a signed-in
session. The simulated people (bench_workshop_clients.py, split over client processes)
then connect over WebSockets with their cookie and an Origin header, load the state, and
follow the facilitator through: ideation (notes) → reveal → grouping (the facilitator
creates clusters and moves notes) → dot vote (participants place and move their 3 dots)
→ back to the grouping for a moment → dot vote again → results revealed.

Latency is from a write's send to its arrival at every other client, over all (write,
receiving client) pairs, writes of the facilitator included. `lost` is the number of
objects, summed over clients, that are missing from a client's final state or differ
from the database's state for its viewer (`queries.workshop_state`). `duplicated` counts
events a client received twice without having asked for a replay.

The clients share the machine's two cores with the server, PostgreSQL and Redis: the CPU
each side used during the scenario is printed.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_votes_processes import (
    REPO,
    Meters,
    Server,
    load_average,
    maybe_redis,
    relative,
    ruche_command,
    server_env,
    timed_steps,
    tree_cpu,
    verdict,
)
from bench_votes_services import free_port, postgres

HERE = Path(__file__).resolve().parent
TARGETS_MS = {300: 300.0, 1000: 1000.0}  # participants → p95 target


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="ruche bench workshop", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--minutes", type=float, default=3.0, help="length of the scenario")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--workers", type=int, default=1, help="`ruche serve --workers`")
    parser.add_argument(
        "--redis", action="store_true", help="REDIS_URL set (needed with --workers > 1)"
    )
    parser.add_argument(
        "--note-every", type=float, default=20.0, help="mean seconds between one person's notes"
    )
    parser.add_argument(
        "--dot-every", type=float, default=15.0, help="mean seconds between one person's dots"
    )
    parser.add_argument(
        "--client-processes",
        type=int,
        help="processes running the simulated clients (default: 1 up to 300 people, else 2)",
    )
    parser.add_argument(
        "--connect-rate", type=float, default=50.0, help="arrivals per second before the start"
    )
    parser.add_argument("--no-deflate", action="store_true", help="clients refuse compression")
    parser.add_argument(
        "--profile-server",
        metavar="FILE",
        help="run the (single) server process under cProfile and write its stats to FILE",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--settings",
        default="ruche.config.settings.production",
        help="DJANGO_SETTINGS_MODULE of the server",
    )
    options = parser.parse_args(argv)
    if options.workers > 1 and not options.redis:
        parser.error("--workers > 1 needs --redis (live events cross processes through Redis)")
    if options.client_processes is None:
        options.client_processes = 1 if options.participants <= 300 else 2
    return options


def main(argv=None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    print(f"command: {shlex.join([relative(sys.executable), *sys.argv])}  (cwd {Path.cwd()})")
    print(f"machine: {os.cpu_count()} cores, shared; {load_average()} at start")
    with (
        tempfile.TemporaryDirectory(prefix="ruche-bench-workshop.") as scratch,
        postgres() as pg,
        maybe_redis(options.redis) as rd,
    ):
        scratch = Path(scratch)
        env = server_env(pg.url, rd.url if rd else "", scratch, options.settings)
        print(f"PostgreSQL {pg.version} on 127.0.0.1:{pg.port} ({pg.settings})")
        print(f"Redis {rd.version} on {rd.url}" if rd else "Redis: none (in-memory channel layer)")
        ruche = ruche_command()
        # No collectstatic: the simulated people only speak WebSocket (no page is loaded).
        timed_steps({"migrate": [*ruche, "migrate", "--noinput", "--verbosity", "0"]}, env)
        start = time.perf_counter()
        command = [
            sys.executable,
            str(HERE / "bench_workshop_data.py"),
            "setup",
            "--participants",
            str(options.participants),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
        if done.returncode != 0:
            raise RuntimeError(f"setup failed:\n{done.stderr[-3000:]}")
        setup = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"data: {shlex.join([relative(c) for c in command])}  "
            f"{time.perf_counter() - start:.1f} s: live workshop {setup['code']} (ideation with "
            "2 prompts → grouping by the facilitator → dot vote, 3 dots, ≤ 2 per cluster), "
            f"{options.participants} attendees joined through actions.do_join with signed "
            "participant cookies (the bench measures the room, not the join page), one "
            "facilitator with a signed-in session"
        )
        port = free_port()
        serve = [*ruche, "serve", "--host", "127.0.0.1", "--port", str(port)]
        if options.profile_server:
            serve = [sys.executable, "-m", "cProfile", "-o", options.profile_server]
            serve += ["-m", "ruche.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        serve += ["--workers", str(options.workers), "--no-collectstatic"]
        with Server(serve, env, scratch / "serve.log", port) as server:
            print(
                f"server: {shlex.join(serve)}  (settings {options.settings}, DEBUG off, "
                f"{options.workers} process{'es' if options.workers > 1 else ''}, REDIS_URL "
                f"{'set' if rd else 'unset'}, LOG_LEVEL=warning; ready after "
                f"{server.ready_seconds:.1f} s)"
            )
            meters = Meters(server.pid, pg, rd)
            result = run_clients(options, setup, port, env, scratch, meters, pg.url)
    report(options, result)
    print(f"\nmachine at the end: {load_average()}")
    return 0


def timeline(minutes: float) -> dict:
    total = minutes * 60
    return {
        "reveal": round(total * 0.40, 1),
        "grouping": round(total * 0.42, 1),
        "dotvote": round(total * 0.55, 1),
        "back": round(total * 0.85, 1),
        "again": round(total * 0.90, 1),
        "end": round(total, 1),
    }


def run_clients(options, setup, port, env, scratch: Path, meters, database_url) -> dict:
    people = [{"index": i, **p} for i, p in enumerate(setup["participants"])]
    processes = options.client_processes
    window = max(5.0, len(people) / options.connect_rate)
    connect_at = time.monotonic() + 4
    t0 = connect_at + window + 5
    plan = timeline(options.minutes)
    print(
        f"clients: {len(people)} participants + 1 facilitator over {processes} client "
        f"process{'es' if processes > 1 else ''} (asyncio + websockets "
        f"{_version('websockets')}, uvloop; permessage-deflate "
        f"{'refused' if options.no_deflate else 'offered, as browsers do'}); arrivals spread "
        f"over {window:.0f} s ({options.connect_rate:.0f}/s), each loading the state with a "
        "snapshot request"
    )
    print(
        f"scenario: {options.minutes:g} min — ideation 0–{plan['reveal']:.0f} s (one note "
        f"every {options.note_every:g} s per person on average, exponential waits: "
        f"{len(people) / options.note_every:.1f} notes/s in all), reveal at {plan['reveal']:.0f} "
        f"s, grouping {plan['grouping']:.0f}–{plan['dotvote']:.0f} s (the facilitator creates "
        f"up to 12 clusters and moves a note every 1–2 s), dot vote {plan['dotvote']:.0f}–"
        f"{plan['back']:.0f} s (a dot change every {options.dot_every:g} s per person), back to "
        f"the grouping {plan['back']:.0f}–{plan['again']:.0f} s, dot vote again until "
        f"{plan['end']:.0f} s, then the dots revealed"
    )
    children = []
    for k in range(processes):
        share = people[k::processes]
        spec = {
            "port": port,
            "workshop": setup["workshop"],
            "activities": setup["activities"],
            "prompts": setup["prompts"],
            "participants": share,
            "facilitator_session": setup["facilitator_session"] if k == 0 else None,
            "cookie_names": {
                "participant": setup["participant_cookie_name"],
                "session": setup["session_cookie_name"],
            },
            "connect_at": connect_at,
            "connect_window": window,
            "offset": k,
            "stride": processes,
            "total_clients": len(people) + 1,
            "t0": t0,
            "timeline": plan,
            "note_every": options.note_every,
            "dot_every": options.dot_every,
            "deflate": not options.no_deflate,
            "seed": options.seed * 1000 + k,
        }
        spec_path = scratch / f"clients{k}.json"
        spec_path.write_text(json.dumps(spec))
        child = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "bench_workshop_clients.py"),
                str(spec_path),
                str(scratch / f"clients{k}"),
            ],
            env=env,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        children.append(child)
    meters.start()
    time.sleep(max(0.0, t0 - time.monotonic()))
    connect_usage = meters.stop()
    clients_cpu0 = sum(tree_cpu(c.pid) for c in children)
    meters.start()
    for child in children:
        line = child.stdout.readline()
        if "scenario-done" not in line:
            child.wait()
            raise RuntimeError(f"client process failed (exit {child.returncode}): {line!r}")
    usage = meters.stop()
    clients_cpu = sum(tree_cpu(c.pid) for c in children) - clients_cpu0
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        final_seq = conn.execute(
            'SELECT last_seq FROM core_eventsequence WHERE "group" = %s', [setup["group"]]
        ).fetchone()[0]
    for child in children:
        child.stdin.write(f"{final_seq}\n")
        child.stdin.flush()
    for child in children:
        child.wait()
        if child.returncode != 0:
            raise RuntimeError(f"client process exited with {child.returncode}")
    summaries = [json.loads((scratch / f"clients{k}.json").read_text()) for k in range(processes)]
    records = [np.load(scratch / f"clients{k}.npz") for k in range(processes)]
    return {
        "summaries": summaries,
        "latency": latency(records, t0),
        "final_seq": final_seq,
        "usage": usage,
        "connect_usage": connect_usage,
        "clients_cpu": clients_cpu,
        "scenario_seconds": usage.seconds,
    }


def latency(records, t0: float) -> dict:
    """Arrival − send over every (write, other client) pair, across client processes; with
    the part of it before the writer's acknowledgement, and how both moved during the run
    (where a p95 comes from: a burst of writes queuing, or events slow to reach sockets)."""
    send_seqs = np.concatenate([r["send_seqs"] for r in records])
    send_times = np.concatenate([r["send_times"] for r in records])
    ack_times = np.concatenate([r["ack_times"] for r in records])
    writers = np.concatenate([r["writers"] for r in records])
    values, write_of, undelivered = [], [], 0
    for r in records:
        arrivals = r["arrivals"][:, send_seqs]  # clients × writes
        own = r["indexes"][:, None] == writers[None, :]
        expected = (send_seqs[None, :] > r["initial"][:, None]) & ~own
        got = arrivals - send_times[None, :]
        undelivered += int((expected & np.isnan(got)).sum())
        kept = expected & ~np.isnan(got)
        values.append(got[kept])
        write_of.append(np.broadcast_to(np.arange(len(send_seqs))[None, :], got.shape)[kept])
    values = np.concatenate(values) * 1000 if values else np.array([])
    write_of = np.concatenate(write_of) if write_of else np.array([], dtype=np.int64)
    acks = (ack_times - send_times) * 1000

    def pct(array, q):
        return float(np.percentile(array, q)) if len(array) else float("nan")

    timeline = []
    window = 10.0
    offsets = send_times - t0
    for start in np.arange(0.0, max(offsets.max(initial=0.0), 0.0) + window, window):
        writes = np.flatnonzero((offsets >= start) & (offsets < start + window))
        if not len(writes):
            continue
        pairs = values[np.isin(write_of, writes)]
        timeline.append(
            {
                "from_s": float(start),
                "writes": len(writes),
                "ack_p95_ms": pct(acks[writes], 95),
                "arrival_p95_ms": pct(pairs, 95),
            }
        )
    return {
        "writes": len(send_seqs),
        "write_events": len(np.unique(send_seqs)),
        "pairs": len(values),
        "undelivered": undelivered,
        "p50_ms": pct(values, 50),
        "p95_ms": pct(values, 95),
        "p99_ms": pct(values, 99),
        "max_ms": float(values.max()) if len(values) else float("nan"),
        "ack_p50_ms": pct(acks, 50),
        "ack_p95_ms": pct(acks, 95),
        "timeline": timeline,
    }


def report(options, result) -> None:
    summaries, lat = result["summaries"], result["latency"]

    def total(key):
        return sum(s[key] for s in summaries)

    outcomes: dict[str, int] = {}
    for s in summaries:
        for k, v in s["outcomes"].items():
            outcomes[k] = outcomes.get(k, 0) + v
    figures = {
        "participants": options.participants,
        "events_sent": total("events_sent"),
        "events_received": total("events_received"),
        "lost": total("lost"),
        "duplicated": total("duplicated"),
        "p50_ms": round(lat["p50_ms"], 1),
        "p95_ms": round(lat["p95_ms"], 1),
        "p99_ms": round(lat["p99_ms"], 1),
        "max_ms": round(lat["max_ms"], 1),
        "ack_p50_ms": round(lat["ack_p50_ms"], 1),
        "ack_p95_ms": round(lat["ack_p95_ms"], 1),
        "writes_acknowledged_with_event": lat["writes"],
        "events_of_writes": lat["write_events"],
        "latency_pairs": lat["pairs"],
        "undelivered_pairs": lat["undelivered"],
        "final_seq": result["final_seq"],
        "gaps": total("gaps"),
        "resyncs": total("resyncs"),
        "replayed": total("replayed"),
        "snapshot_required": total("snapshot_required"),
        "still_behind": total("still_behind"),
        "unanswered": total("unanswered"),
        "disconnects": total("disconnects"),
        "reconnects": total("reconnects"),
        "missing": total("missing"),
        "different": total("different"),
        "extra": total("extra"),
        "connected": total("connected"),
        "connect_failures": total("connect_failures"),
        "outcomes": outcomes,
        "server_processes": options.workers,
        "redis": options.redis,
        "client_processes": options.client_processes,
        "minutes": options.minutes,
        "note_every_s": options.note_every,
        "dot_every_s": options.dot_every,
    }
    usage = result["usage"]
    seconds = usage.seconds
    cpu = {
        "server_pct": round(usage.server / seconds * 100),
        "clients_pct": round(result["clients_cpu"] / seconds * 100),
        "postgres_pct": round(usage.postgres / seconds * 100),
        "redis_pct": round(usage.redis / seconds * 100),
        "machine_pct": round(usage.machine / seconds * 100),
        "seconds": round(seconds, 1),
    }
    figures["cpu"] = cpu
    print(
        f"\n== Workshop: {options.participants} participants, {options.workers} server "
        f"process{'es' if options.workers > 1 else ''}{' + Redis' if options.redis else ''} =="
    )
    connect = [s for s in summaries if s["connect_p50_ms"] is not None]
    if connect:
        print(
            f"arrival: {figures['connected']} of {sum(s['clients'] for s in summaries)} sockets "
            f"connected and loaded ({figures['connect_failures']} failures); connect + snapshot "
            f"p50 {max(s['connect_p50_ms'] for s in connect):.0f} ms, p95 "
            f"{max(s['connect_p95_ms'] for s in connect):.0f} ms (worst client process); CPU "
            f"during arrivals: {result['connect_usage']}"
        )
    print(
        f"writes: {figures['events_sent']:,} sent, outcomes {dict(sorted(outcomes.items()))}; "
        f"{lat['writes']:,} acknowledged with an event ({lat['write_events']:,} events: writes "
        f"queued together share one), {figures['unanswered']} never answered; "
        f"final seq {result['final_seq']:,}"
    )
    print(
        f"events received by the clients: {figures['events_received']:,}; duplicated "
        f"{figures['duplicated']}, gaps {figures['gaps']} (resyncs {figures['resyncs']}, events "
        f"replayed {figures['replayed']}, snapshot_required {figures['snapshot_required']}), "
        f"sockets dropped {figures['disconnects']} (reconnected {figures['reconnects']}), "
        f"clients still behind at the end {figures['still_behind']}"
    )
    target = TARGETS_MS.get(options.participants)
    judged = f"target p95 ≤ {target:.0f} ms" if target else "no target at this size"
    missed: list[str] = []
    print(
        f"latency send → arrival at every other client over {lat['pairs']:,} pairs: p50 "
        f"{lat['p50_ms']:.0f} ms, p95 {lat['p95_ms']:.0f} ms, p99 {lat['p99_ms']:.0f} ms, max "
        f"{lat['max_ms']:.0f} ms; undelivered pairs {lat['undelivered']}  {judged}"
        + (f" {verdict(lat['p95_ms'] <= target, 'p95', missed)}" if target else "")
    )
    print(
        f"  of which send → the writer's acknowledgement: p50 {lat['ack_p50_ms']:.0f} ms, p95 "
        f"{lat['ack_p95_ms']:.0f} ms (the write's queue and transaction); by 10 s of the "
        "scenario (writes sent, their acknowledgement p95, their arrival p95):"
    )
    for row in lat["timeline"]:
        print(
            f"    {row['from_s']:>4.0f} s: {row['writes']:>5} writes, ack p95 "
            f"{row['ack_p95_ms']:>7.0f} ms, arrival p95 {row['arrival_p95_ms']:>7.0f} ms"
        )
    examples = [e for s in summaries for e in s["examples"]][:5]
    print(
        f"final states vs database (queries.workshop_state per viewer, "
        f"{total('objects_checked'):,} objects over {figures['connected']} clients, "
        f"{max(s['check_seconds'] for s in summaries):.0f} s): lost {figures['lost']} (missing "
        f"{figures['missing']}, different {figures['different']}), extra {figures['extra']}  "
        f"{verdict(figures['lost'] == 0 and figures['extra'] == 0, 'lost', missed)}; duplicated "
        f"{figures['duplicated']} {verdict(figures['duplicated'] == 0, 'duplicated', missed)}"
    )
    for example in examples:
        print(f"  e.g. {example}")
    print(
        f"CPU during the scenario ({seconds:.0f} s): server {cpu['server_pct']}% of one core, "
        f"clients {cpu['clients_pct']}%, PostgreSQL {cpu['postgres_pct']}%, Redis "
        f"{cpu['redis_pct']}%; whole machine {cpu['machine_pct']}% of {os.cpu_count() * 100}%"
    )
    print("JSON: " + json.dumps(figures))
    print("all targets met" if not missed else f"MISSED: {', '.join(missed)}")
    if options.json:
        Path(options.json).write_text(json.dumps(figures, indent=2) + "\n")
        print(f"written to {options.json}")


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main())
