"""20 users at once: how long each waits for the cited quotes and for the finished answer, on one `govrag ui`
(loopback, the bundled models), today's code against the commit before quotes-first, side by side.

Every user opens their own Gradio session (a gradio_client.Client, as a browser tab would), then all ask at the
same moment (a barrier), each a different question. Now: /ask_stream, whose first output carries the cited
quotes; before (BASELINE_REV): /ask, where the quotes come only with the finished answer, one answer at a time.

    .venv/bin/python bench/concurrency.py INDEX_DIR [--users 20]"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The last commit before quotes-first (issue 18): one answer at a time, the quotes with the finished answer.
BASELINE_REV = "614b1a0"
USERS = 20
#: A bounded run: no user waits longer than this for anything.
TIMEOUT_S = 300


def questions(count: int) -> list[str]:
    """The first `count` questions of the eval's dev split: answerable and declined ones, as users ask them."""
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:count]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2)


def users_at_once(url: str, asked: list[str], endpoint: str) -> dict:
    """Each question from its own session, all released together; per user the seconds to the first output
    holding the cited quotes (or a declined answer) and to the finished answer."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in asked]
    # A server that has answered before (its dictionaries loaded on the first question, as in service).
    clients[0].predict("How should AI protect children?", 5, api_name="/ask")
    barrier = threading.Barrier(len(asked))
    waits: list[dict] = [{} for _ in asked]

    def user(i: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        args = (asked[i], 5, None) if endpoint == "/ask_stream" else (asked[i], 5)
        job = clients[i].submit(*args, api_name=endpoint)
        for output in job:
            waits[i].setdefault("quotes_s", time.perf_counter() - started)
            if output.get("error"):
                waits[i]["error"] = output["error"]
        final = job.result(timeout=TIMEOUT_S)
        waits[i]["answer_s"] = time.perf_counter() - started
        waits[i].setdefault("quotes_s", waits[i]["answer_s"])  # /ask: the quotes come with the answer
        if final.get("error"):
            waits[i]["error"] = final["error"]

    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(asked))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    done = [w for w in waits if "answer_s" in w and "error" not in w]
    if len(done) != len(asked):
        raise RuntimeError(f"only {len(done)} of {len(asked)} users got an answer: {waits}")
    quotes, answers = [w["quotes_s"] for w in done], [w["answer_s"] for w in done]
    return {"users": len(done), "endpoint": endpoint, "quotes_p50_s": round(statistics.median(quotes), 2),
            "quotes_p95_s": _p95(quotes), "answer_p50_s": round(statistics.median(answers), 2),
            "answer_p95_s": _p95(answers)}


def bench_concurrency(index_dir: Path, users: int = USERS) -> dict:
    """The same users and questions against a server of BASELINE_REV (a detached worktree) and of this
    checkout, one after the other."""
    from bench.serving import running_ui

    asked = questions(users)
    with tempfile.TemporaryDirectory(prefix="govrag-baseline-") as tmp:
        baseline = Path(tmp) / "checkout"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(baseline), BASELINE_REV],
                       check=True, capture_output=True)
        try:
            with running_ui(index_dir, cwd=baseline, log_name="users-baseline") as served:
                before = users_at_once(served.url, asked, "/ask")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                           capture_output=True)
    with running_ui(index_dir, log_name="users-now") as served:
        now = users_at_once(served.url, asked, "/ask_stream")
    return {"now": now, "before": before, "baseline_rev": BASELINE_REV}


def rows(result: dict) -> list[tuple[str, str, str]]:
    ok = {True: "✓", False: "✗"}
    now, before = result["now"], result["before"]
    return [
        (f"{now['users']} users at once: time to the cited quotes p50 / p95 (before: {result['baseline_rev']}, "
         "quotes only with the answer)", f"{now['quotes_p50_s']} / {now['quotes_p95_s']} s (before "
         f"{before['quotes_p50_s']} / {before['quotes_p95_s']} s)", f"p95 ≤ 1.5 s {ok[now['quotes_p95_s'] <= 1.5]}"),
        (f"{now['users']} users at once: time to the finished answer p50 / p95, now vs before",
         f"{now['answer_p50_s']} / {now['answer_p95_s']} s vs {before['answer_p50_s']} / {before['answer_p95_s']} s",
         f"p95 ≤ before {ok[now['answer_p95_s'] <= before['answer_p95_s']]}"),
    ]


def main() -> int:
    index_dir = Path(sys.argv[1])
    users = int(sys.argv[sys.argv.index("--users") + 1]) if "--users" in sys.argv else USERS
    result = bench_concurrency(index_dir, users)
    print(f"command: .venv/bin/python bench/concurrency.py {index_dir} --users {users}\n")
    print("| measure | measured | target |\n|---|---|---|")
    for row in rows(result):
        print(f"| {' | '.join(row)} |")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
