#!/usr/bin/env python3
"""Moderates JSON-lines comment exports on Apache Spark with the decisions one `moderate run`
over the same input would give, batch signals included (README, "Past one machine").

    spark-submit examples/spark/moderate_spark.py INPUT OUTPUT [--moderate CMD] [--rules DIR]

INPUT is any path Spark reads (a file, a directory, a glob; gzip too). The input order is
Spark's order of the files (sorted by path) and of the lines in each: the order `moderate run`
would read them in when given the files in that order.

1. Every partition goes through `moderate filter --batch-keys`: per record, stable hashes of
   what its copies and bursts are counted from (no text, e-mail or IP).
2. Spark SQL counts `same_body` and `author_burst` over the whole input with window functions
   ordered by each record's place in the input.
3. Each comment's line gets the counts as its last field (`"moderate_batch":{...}`) and every
   partition goes through `moderate filter --batch-signals given`, which takes the field off
   again: each output line is the queue line `moderate run` would write.
4. The lines are written to OUTPUT/decision=approve|hold|reject|error/ as JSON-lines text,
   through Spark's output commit: all of it or (on failure) no `_SUCCESS` and nothing to read.

A partition whose `moderate` exits non-zero fails its task (with the exit status in the error);
Spark retries it and, past `spark.task.maxFailures`, fails the job.
"""
import argparse
import collections
import shlex
import subprocess
import threading

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import (ArrayType, DoubleType, LongType, StringType, StructField, StructType)

#: Burst counting keeps the last 256 dates per author (BatchSignalTracker.maximumTimesPerAuthor).
TIMES_PER_AUTHOR = 256

KEYS_SCHEMA = StructType([
    StructField("ahead", StructType([StructField("body", StringType()), StructField("record", StringType())])),
    StructField("seen", StructType([StructField("body", StringType()),
                                    StructField("authors", ArrayType(StringType())),
                                    StructField("seconds", DoubleType())])),
    StructField("burst_window", DoubleType()),
])


class PipeFailed(RuntimeError):
    pass


def pipe_partition(command):
    """A function for mapPartitions: streams each partition's (pos, line) pairs through
    `command` (one output line per input line, in order, as `moderate filter` writes) and
    yields (pos, output line). Like `RDD.pipe(checkCode=True)`, a non-zero exit fails the task,
    and so does an output with fewer or more lines than the input; unlike it, each output
    line keeps its record's place in the input."""
    argv = shlex.split(command)

    def run(pairs):
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        places = collections.deque()
        failure = []

        def feed():
            try:
                for pos, line in pairs:
                    places.append(pos)
                    process.stdin.write(line.encode("utf-8") + b"\n")
            except BrokenPipeError:
                pass  # the program ended early: its exit status says why
            except BaseException as error:  # noqa: BLE001 - reported by the reading side
                failure.append(error)
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        produced = 0
        for raw in process.stdout:
            if not places:
                writer.join(timeout=0.1)
            if not places:
                process.kill()
                raise PipeFailed(f"`{command}` wrote more lines than it was given")
            produced += 1
            yield places.popleft(), raw.rstrip(b"\n").decode("utf-8")
        writer.join()
        status = process.wait()
        if failure:
            raise failure[0]
        if status != 0:
            raise PipeFailed(f"`{command}` exited with status {status}")
        if places:
            raise PipeFailed(f"`{command}` wrote {produced} lines for {produced + len(places)} records")

    return run


def batch_signals(spark, keyed):
    """`keyed`: (pos, keys line). Returns (pos, same_body, author_burst) for each comment,
    counted as `moderate run` counts over the whole input (BatchKeys in
    Sources/ModerateCore/Run/BatchSignalInputs.swift)."""
    keys = (spark.createDataFrame(keyed, "pos long, keys string")
            .select("pos", F.from_json("keys", KEYS_SCHEMA).alias("k"))
            .select("pos", F.col("k.ahead.body").alias("ahead_body"), F.col("k.ahead.record").alias("ahead_record"),
                    F.col("k.seen").alias("seen"), F.col("k.seen.body").alias("seen_body"),
                    F.col("k.burst_window").alias("window")))
    keys = keys.persist()

    # Copies of each body in the whole input, the same record met twice in a row counted once.
    by_ahead_body = Window.partitionBy("ahead_body").orderBy("pos")
    whole_copies = (keys.where(F.col("ahead_body").isNotNull())
                    .withColumn("previous", F.lag("ahead_record").over(by_ahead_body))
                    .where(F.col("previous").isNull() | (F.col("previous") != F.col("ahead_record")))
                    .groupBy(F.col("ahead_body").alias("seen_body")).agg(F.count("*").alias("whole_copies")))
    # Copies so far in input order, this one included.
    comments = keys.where(F.col("seen").isNotNull())
    so_far = F.when(F.col("seen_body").isNull(), F.lit(None)).otherwise(
        F.row_number().over(Window.partitionBy("seen_body").orderBy("pos")))
    copies = (comments.withColumn("so_far", so_far)
              .join(whole_copies, "seen_body", "left")
              .select("pos", F.when(F.col("seen_body").isNull(), F.lit(1))
                      .otherwise(F.greatest("so_far", F.coalesce("whole_copies", F.lit(0)))).alias("same_body")))

    # Comments by each author key among its last 256 earlier ones within the burst window.
    by_author = Window.partitionBy("author").orderBy("pos").rowsBetween(-TIMES_PER_AUTHOR, -1)
    bursts = (comments.select("pos", "window", F.col("seen.seconds").alias("seconds"),
                              F.explode("seen.authors").alias("author"))
              .withColumn("earlier", F.collect_list(F.struct(F.col("seconds").alias("t"))).over(by_author))
              .withColumn("near", F.size(F.filter("earlier", lambda other: other.t.isNull() | F.col("seconds").isNull()
                                                  | (F.abs(F.col("seconds") - other.t) <= F.col("window")))))
              .groupBy("pos").agg(F.max(F.col("near") + 1).alias("author_burst")))
    return (copies.join(bursts, "pos", "left")
            .select("pos", "same_body", F.coalesce("author_burst", F.lit(1)).alias("author_burst")))


def with_signals(line, same_body, author_burst):
    """The line with the reserved field appended as its last one (BatchSignalInputs.split)."""
    if same_body is None:
        return line  # not a comment: `moderate filter` gives its error line
    body = line.rstrip(" \t\r\n")
    return body[:-1] + ',"moderate_batch":{"same_body":%d,"author_burst":%d}}' % (same_body, author_burst)


def moderate(spark, input_path, output_path, moderate_command, partitions, options=""):
    sc = spark.sparkContext
    lines = sc.textFile(input_path, minPartitions=partitions)
    # A blank line is no record (moderate reads past it): keep one record per line, in order.
    records = (lines.zipWithIndex().map(lambda pair: (pair[1], pair[0]))
               .filter(lambda pair: pair[1].strip(" \t\r") != ""))
    records = records.persist()
    keyed = records.mapPartitions(pipe_partition(f"{moderate_command} filter --batch-keys{options}"))
    signals = batch_signals(spark, keyed)
    annotated = (spark.createDataFrame(records, "pos long, line string")
                 .join(signals, "pos", "left")
                 .repartitionByRange(partitions, "pos").sortWithinPartitions("pos"))
    decided = annotated.rdd.map(lambda row: (row.pos, with_signals(row.line, row.same_body, row.author_burst))) \
        .mapPartitions(pipe_partition(f"{moderate_command} filter --batch-signals given{options}"))
    out = (spark.createDataFrame(decided, "pos long, line string")
           .withColumn("decision", F.get_json_object("line", "$.moderation.decision"))
           # Each part file holds its records in input order; part files follow input order.
           .sortWithinPartitions("decision", "pos")
           .select("line", "decision"))
    out.write.partitionBy("decision").mode("errorifexists").text(output_path)
    records.unpersist()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="JSON-lines comments (gzip too): any path Spark reads")
    parser.add_argument("output", help="a new directory: decision=approve|hold|reject|error/part-*")
    parser.add_argument("--moderate", default="./moderate/moderate",
                        help="the moderate command on the executors (default: the wrapper in "
                             "scripts/package's archive, shipped with --archives ...#moderate)")
    parser.add_argument("--rules", help="rules directory on the executors (default: the command's own)")
    parser.add_argument("--partitions", type=int, default=None, help="partitions (default: Spark's parallelism)")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("moderate").getOrCreate()
    partitions = args.partitions or spark.sparkContext.defaultParallelism
    options = f" --rules {shlex.quote(args.rules)}" if args.rules else ""
    moderate(spark, args.input, args.output, args.moderate, partitions, options)
    spark.stop()


if __name__ == "__main__":
    main()
