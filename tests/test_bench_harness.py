"""The surge benchmark's reading of wrk and its verdicts (bench/report.py)."""

import pytest

from bench import scratch
from bench.report import (
    Row,
    WrkOutputError,
    WrkResult,
    memory_table,
    parse_wrk,
    table,
    verdict,
    vm_rss_kib,
)

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:41235/products/bench-jacket-7/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   118.52ms   30.11ms 412.08ms   71.20%
    Req/Sec   135.02     22.47   191.00     68.50%
  Latency Distribution
     50%  112.40ms
     75%  131.77ms
     90%  160.02ms
     99%    1.21s
  2693 requests in 10.02s, 61.33MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    268.77
Transfer/sec:      6.12MB
"""


def test_wrk_output_is_read_with_its_units_and_errors():
    result = parse_wrk(WRK_OUTPUT)

    assert result == WrkResult(
        requests=2693, requests_per_second=268.77, p50_ms=112.40, p99_ms=1210.0, errors=7
    )


def test_microseconds_and_a_clean_run():
    text = WRK_OUTPUT.replace("112.40ms", "845.00us").split("  Socket errors")[0]
    text += "Requests/sec:   5120.10\n"

    result = parse_wrk(text)

    assert (result.p50_ms, result.errors, result.requests_per_second) == (0.845, 0, 5120.10)


@pytest.mark.parametrize(
    "text",
    ["", "unable to connect to 127.0.0.1:1 Connection refused", WRK_OUTPUT.replace("99%", "98%")],
)
def test_output_without_the_numbers_is_refused(text):
    with pytest.raises(WrkOutputError):
        parse_wrk(text)


def result(rps: float, errors: int = 0, requests: int = 1000) -> WrkResult:
    return WrkResult(
        requests=requests, requests_per_second=rps, p50_ms=10, p99_ms=50, errors=errors
    )


def test_share_is_of_the_floor_measured_next_to_it_and_judged_per_cache_mode():
    cold = Row("product page", "cold", result(200), result(1000), queries=6)
    warm = Row("product page", "warm", result(200), result(1000), queries=3)

    assert cold.share == 20
    assert verdict(cold) == "ok"
    assert verdict(warm) == "share < 60 %, SQL > 2"


def test_failed_requests_or_none_at_all_are_never_ok():
    errors = Row("home page", "cold", result(900, errors=2), result(1000), queries=1)
    silent = Row("home page", "cold", result(0, requests=0), result(1000), queries=1)

    assert verdict(errors) == "2 errors"
    assert verdict(silent) == "share < 8 %, no response in the run"


def test_table_has_one_line_per_row_under_its_header():
    rows = [Row("search page", "warm", result(450), result(1000), queries=None, single_ms=12.4)]

    lines = table(rows).splitlines()

    assert len(lines) == 3
    assert lines[1].count("|") == lines[0].count("|") == lines[2].count("|")
    assert lines[2] == "| search page | warm | 450 | 1000 | 45 % | 10.0 | 50.0 | - | 12 | ok |"


def test_memory_is_shown_in_mebibytes_against_the_limit():
    text = memory_table({"shop": [102_400, 163_840]})

    assert text.splitlines()[-1] == "| shop | 100, 160 | > 150 MiB |"


def test_worker_memory_is_read_from_proc_status():
    assert vm_rss_kib("Name:\tgunicorn\nVmPeak:\t  200000 kB\nVmRSS:\t   93112 kB\n") == 93112


def test_benches_get_their_own_database_and_never_one_without_bench_in_its_name(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@db:5432/shop_bench")
    assert scratch.database_url("pricing") == "postgres://postgres@db:5432/shop_bench_pricing"

    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@db:5432/commerce")
    with pytest.raises(SystemExit, match="must say 'bench'"):
        scratch.database_url("pricing")
