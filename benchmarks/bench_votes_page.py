"""Part 3 of bench_votes.py: the voting page's server time as the consultation grows.

One request at a time on one keep-alive connection over loopback: GET the voting page and
JSON votes with next=true, for sample participants of a consultation with 2,000 statements,
first when it has 200 participants, then again once 75,000 are loaded (by COPY).
"""

import asyncio
import json
import time

from bench_votes_load import STATEMENT_INPUT, Client, client_address, percentile
from bench_votes_processes import load_average, run_data, tree_cpu, verdict


def page_test(options, env, port, server_pid: int) -> list[str]:
    print(
        f"\n== 3. Voting page server time: {options.page_statements:,} statements, "
        f"{options.page_small:,} then {options.page_participants:,} participants × "
        f"{options.page_votes_per} votes =="
    )
    setup = run_data(
        [
            "setup",
            "--statements",
            str(options.page_statements),
            "--bulk-statements",
            "--title",
            "Grande consultation",
        ],
        env,
        f"consultation with {options.page_statements:,} statements (bulk_create)",
    )
    consultation = setup["consultation"]
    half = options.page_sample
    small = _bulk(options, env, consultation, 0, options.page_small)
    sample = small["sample"]
    _wait_idle(server_pid)
    timed_small = asyncio.run(measure_page(port, consultation, sample[:half]))
    large = _bulk(options, env, consultation, options.page_small, options.page_participants)
    _wait_idle(server_pid)
    timed_large = asyncio.run(measure_page(port, consultation, sample[half : 2 * half]))
    total_votes = small["votes"] + large["votes"]
    print(
        f"loaded: {options.page_participants:,} participants, {total_votes:,} votes by COPY in "
        f"{small['seconds'] + large['seconds']:.1f} s in all (COPY {large['copy_seconds']:.1f} s, "
        f"statement counts {large['counts_seconds']:.1f} s, VACUUM ANALYZE "
        f"{large['vacuum_seconds']:.1f} s for the second batch)"
    )
    missed: list[str] = []
    calm = percentile(timed_large["healthz"], 50) / percentile(timed_small["healthz"], 50)
    print(
        f"/healthz between them (does not depend on the data; tells whether the machine was "
        f"as busy): median {percentile(timed_small['healthz'], 50) * 1000:.1f} ms then "
        f"{percentile(timed_large['healthz'], 50) * 1000:.1f} ms (ratio {calm:.2f})"
    )
    for label, key in (("GET voting page", "page"), ("JSON vote, next=true", "vote")):
        a, b = timed_small[key], timed_large[key]
        growth = percentile(b, 50) / percentile(a, 50)
        print(
            f"{label}: at {options.page_small:,} participants median "
            f"{percentile(a, 50) * 1000:.1f} ms, p95 {percentile(a, 95) * 1000:.1f} ms "
            f"({len(a)} requests); at {options.page_participants:,} median "
            f"{percentile(b, 50) * 1000:.1f} ms, p95 {percentile(b, 95) * 1000:.1f} ms "
            f"({len(b)}); ratio of medians {growth:.2f}  (does not grow: ≤ 1.25) "
            f"{verdict(growth <= 1.25, f'{label} growth', missed)}"
        )
    print(
        "(one request at a time on one keep-alive connection over loopback, each sample "
        "participant with 30 bulk votes: GET the page twice, then 3 votes following the card)"
    )
    return missed


def _wait_idle(server_pid: int, limit: float = 120) -> None:
    """Wait until the server used < 10% of a core for a second (its backlog is done)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        before = tree_cpu(server_pid)
        time.sleep(1)
        if tree_cpu(server_pid) - before < 0.1:
            break
    print(f"(server idle after {time.perf_counter() - start:.0f} s; {load_average()})")


def _bulk(options, env, consultation, first, last) -> dict:
    return run_data(
        [
            "bulk",
            "--consultation",
            consultation,
            "--participants-from",
            str(first),
            "--participants-to",
            str(last),
            "--votes-per",
            str(options.page_votes_per),
            "--seed",
            str(options.seed),
        ],
        env,
        f"participants {first:,}–{last:,} with {options.page_votes_per} votes each (COPY)",
    )


async def measure_page(port, consultation, sample) -> dict[str, list[float]]:
    client = Client("127.0.0.1", port)
    origin = f"https://127.0.0.1:{port}"
    voter, votes = f"/consultations/{consultation}/voter/", f"/consultations/{consultation}/votes/"
    times: dict[str, list[float]] = {"page": [], "vote": [], "healthz": []}
    for _ in range(5):  # warm-up, not timed
        await client.request("GET", voter)
    for index, person in enumerate(sample):
        forwarded = f"X-Forwarded-For: {client_address(index)}\r\n"
        cookies = {"ruche_participant": person["cookie"]}
        t0 = time.perf_counter()  # independent of the data: tells how busy the machine is
        await client.request("GET", "/healthz")
        times["healthz"].append(time.perf_counter() - t0)
        statement = person["unvoted"]
        for _ in range(2):
            header = "; ".join(f"{k}={v}" for k, v in cookies.items())
            t0 = time.perf_counter()
            page = await client.request(
                "GET", voter, headers=f"Cookie: {header}\r\n{forwarded}".encode()
            )
            times["page"].append(time.perf_counter() - t0)
            if page.status != 200:
                raise RuntimeError(f"GET {voter}: {page.status}")
            cookies.update(page.cookies)
            found = STATEMENT_INPUT.search(page.body)
            statement = found.group(1).decode() if found else statement
        for _ in range(3):
            header = (
                "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n"
                f"X-CSRFToken: {cookies['csrftoken']}\r\nOrigin: {origin}\r\n{forwarded}"
                "Content-Type: application/json\r\n"
            ).encode()
            body = json.dumps({"statement": statement, "vote": "agree", "next": True}).encode()
            t0 = time.perf_counter()
            response = await client.request("POST", votes, headers=header, body=body)
            times["vote"].append(time.perf_counter() - t0)
            if response.status != 200:
                raise RuntimeError(f"vote: {response.status} {response.body[:300]!r}")
            statement = json.loads(response.body)["next"]["id"]
    client.close()
    return times
