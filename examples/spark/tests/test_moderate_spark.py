"""Tests of moderate_spark.py in Spark local mode (run by scripts/spark-test).

MODERATE: the moderate binary (or the wrapper from scripts/package); MODERATE_RULES: the rules
directory; COMMENTS: the generated comments (scripts/generate-comments.py).
"""
import glob
import os
import stat
import subprocess
import sys

import pytest
from pyspark.sql import SparkSession

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import moderate_spark  # noqa: E402

MODERATE = os.environ["MODERATE"]
RULES = os.environ["MODERATE_RULES"]
COMMENTS = os.environ["COMMENTS"]
OPTIONS = f" --rules {RULES}"
QUEUES = ["approve", "hold", "reject"]
#: The one byte sequence a filter line has that the queue line has not (README, "Past one machine").
GIVEN_NOTE = ',"batch_signals":"given by the input"'


@pytest.fixture(scope="module")
def spark():
    # local[2,3]: two threads, and a failed task is tried up to three times (local[2] never retries).
    session = (SparkSession.builder.master("local[2,3]").appName("moderate-spark-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    # The Python workers import the job's functions by module, as spark-submit would ship it.
    session.sparkContext.addPyFile(moderate_spark.__file__)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def run_queues(tmp_path_factory):
    """The queues one `moderate run` writes over the whole file."""
    queues = tmp_path_factory.mktemp("run") / "queues"
    subprocess.run([MODERATE, "run", "--rules", RULES, "--queues", str(queues), "--quiet", COMMENTS], check=True)
    return {queue: (queues / f"{queue}.jsonl").read_text(encoding="utf-8").splitlines() for queue in QUEUES}


def job_output(directory, queue):
    """The job's lines for one queue, part file after part file (each in input order)."""
    lines = []
    for part in sorted(glob.glob(os.path.join(directory, f"decision={queue}", "part-*"))):
        with open(part, encoding="utf-8") as handle:
            lines += [line.replace(GIVEN_NOTE, "", 1) for line in handle.read().splitlines()]
    return lines


def assert_same_as_run(directory, run_queues):
    assert os.path.exists(os.path.join(directory, "_SUCCESS"))
    for queue in QUEUES:
        assert job_output(directory, queue) == run_queues[queue], queue
    assert not glob.glob(os.path.join(directory, "decision=error", "part-*"))


def wrapper(tmp_path, name, script):
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_four_partitions_give_the_queues_of_one_run(spark, run_queues, tmp_path):
    assert sum(len(lines) for lines in run_queues.values()) == 20_000
    # The batch signals matter here: spam.copies (same_body) fires on most of them.
    assert sum('"rule":"spam.copies"' in line for line in run_queues["reject"] + run_queues["hold"]) > 10_000
    out = str(tmp_path / "out")
    moderate_spark.moderate(spark, COMMENTS, out, MODERATE, 4, OPTIONS)
    assert_same_as_run(out, run_queues)


def test_gzip_input_gives_the_same_queues(spark, run_queues, tmp_path):
    compressed = tmp_path / "comments.jsonl.gz"
    subprocess.run(f"gzip -c {COMMENTS} > {compressed}", shell=True, check=True)
    out = str(tmp_path / "out")
    moderate_spark.moderate(spark, str(compressed), out, MODERATE, 4, OPTIONS)
    assert_same_as_run(out, run_queues)


def test_a_partition_that_fails_once_is_retried_and_the_output_is_exact(spark, run_queues, tmp_path):
    marker = tmp_path / "failed-once"
    # The first deciding `moderate` of the job fails after reading part of its partition.
    flaky = wrapper(tmp_path, "flaky-moderate", f"""
case "$*" in *"--batch-signals given"*)
    if mkdir "{marker}" 2>/dev/null; then head -c 1000 >/dev/null; exit 75; fi ;;
esac
exec "{MODERATE}" "$@"
""")
    out = str(tmp_path / "out")
    moderate_spark.moderate(spark, COMMENTS, out, flaky, 4, OPTIONS)
    assert marker.exists()
    assert_same_as_run(out, run_queues)


def test_a_partition_that_always_fails_fails_the_job_and_leaves_no_success(spark, tmp_path):
    # The partition holding comment g7 fails each time it is decided; the others succeed.
    broken = wrapper(tmp_path, "broken-moderate", f"""
case "$*" in *"--batch-signals given"*)
    input=$(mktemp); cat > "$input"
    if grep -q '"id": "g7"' "$input"; then rm -f "$input"; exit 3; fi
    "{MODERATE}" "$@" < "$input"; status=$?; rm -f "$input"; exit $status ;;
esac
exec "{MODERATE}" "$@"
""")
    out = str(tmp_path / "out")
    with pytest.raises(Exception) as failure:
        moderate_spark.moderate(spark, COMMENTS, out, broken, 4, OPTIONS)
    assert "exited with status 3" in str(failure.value)
    assert not os.path.exists(os.path.join(out, "_SUCCESS"))
    assert not glob.glob(os.path.join(out, "decision=*", "part-*"))
