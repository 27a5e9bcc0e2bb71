"""Baselines for `Scripts/bench scheduler`: no-op jobs completed per second by pgqueuer and by
procrastinate on the PostgreSQL server the Charter scheduler is measured on.

Each run makes a database of its own, installs the library's schema, queues JOBS no-op jobs
(one batch insert, not timed), then times one worker from its start until the queue is empty
and every job is finished. Prints one line: `<library> jobs N seconds S jobs/s R`.

Run from the virtualenv Scripts/lib/bench-scheduler.sh makes (pgqueuer and procrastinate from
PyPI are benchmark baselines only, never dependencies of Charter or of its CI).

Usage: queue_baselines.py pgqueuer|procrastinate --url SUPERUSER_URL [--jobs 20000]
       [--batch 100] [--concurrency 8]
"""

import argparse
import asyncio
import logging
import os
import time
import urllib.parse


def connection_parameters(url, database):
    """libpq-style parts of a postgres:// URL (the socket directory may be in ?host=)."""
    parsed = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parsed.query))
    host = query.get("host") or urllib.parse.unquote(parsed.hostname or "") or None
    parameters = {
        "user": urllib.parse.unquote(parsed.username or "") or query.get("user") or "postgres",
        "host": host,
        "port": parsed.port or int(query.get("port", "5432")),
        "dbname": database,
    }
    if parsed.password:
        parameters["password"] = urllib.parse.unquote(parsed.password)
    return parameters


def conninfo(parameters):
    return " ".join(f"{key}={value}" for key, value in parameters.items() if value is not None)


async def fresh_database(url, name):
    import psycopg

    admin = connection_parameters(url, urllib.parse.urlsplit(url).path.lstrip("/") or "postgres")
    async with await psycopg.AsyncConnection.connect(conninfo(admin), autocommit=True) as conn:
        await conn.execute(f'drop database if exists "{name}" with (force)')
        await conn.execute(f'create database "{name}"')
    return connection_parameters(url, name)


async def drop_database(url, name):
    import psycopg

    admin = connection_parameters(url, urllib.parse.urlsplit(url).path.lstrip("/") or "postgres")
    async with await psycopg.AsyncConnection.connect(conninfo(admin), autocommit=True) as conn:
        await conn.execute(f'drop database if exists "{name}" with (force)')


async def run_pgqueuer(options, parameters):
    """One QueueManager on one asyncpg connection (pgqueuer's usual set-up), dequeuing
    `batch` jobs per statement; drain mode returns once the queue is empty."""
    import asyncpg
    from pgqueuer import AsyncpgDriver, QueueManager, Queries
    from pgqueuer.domain.types import QueueExecutionMode

    async def connect():
        return await asyncpg.connect(
            user=parameters["user"], host=parameters["host"], port=parameters["port"],
            database=parameters["dbname"], password=parameters.get("password"))

    setup = await connect()
    queries = Queries(AsyncpgDriver(setup))
    await queries.install()
    for start in range(0, options.jobs, 10_000):
        count = min(10_000, options.jobs - start)
        await queries.enqueue(["noop"] * count, [None] * count, [0] * count)
    await setup.execute("analyze pgqueuer")
    await setup.close()

    completed = 0
    worker = await connect()
    manager = QueueManager(Queries(AsyncpgDriver(worker)))

    @manager.entrypoint("noop")
    async def noop(job):
        nonlocal completed
        completed += 1

    started = time.monotonic()
    await manager.run(batch_size=options.batch, mode=QueueExecutionMode.drain)
    seconds = time.monotonic() - started
    if not worker.is_closed():
        await worker.close()

    check = await connect()
    left = await check.fetchval("select count(*) from pgqueuer")
    await check.close()
    if completed != options.jobs or left != 0:
        raise SystemExit(f"pgqueuer ran {completed} of {options.jobs} jobs, {left} left queued")
    return seconds


async def run_procrastinate(options, parameters):
    """One worker with `concurrency` sub-workers on a psycopg pool of concurrency + 2
    connections; `wait=False` returns once no job is left."""
    import procrastinate

    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=conninfo(parameters), min_size=1, max_size=options.concurrency + 2))
    completed = 0

    @app.task(name="noop")
    async def noop():
        nonlocal completed
        completed += 1

    async with app.open_async():
        await app.schema_manager.apply_schema_async()
        for start in range(0, options.jobs, 10_000):
            count = min(10_000, options.jobs - start)
            await noop.batch_defer_async(*([{}] * count))
        async with app.connector.pool.connection() as conn:
            await conn.execute("analyze procrastinate_jobs")
        started = time.monotonic()
        await app.run_worker_async(
            concurrency=options.concurrency, wait=False, install_signal_handlers=False)
        seconds = time.monotonic() - started
        async with app.connector.pool.connection() as conn:
            cursor = await conn.execute(
                "select count(*) from procrastinate_jobs where status <> 'succeeded'")
            (left,) = await cursor.fetchone()
    if completed != options.jobs or left != 0:
        raise SystemExit(
            f"procrastinate ran {completed} of {options.jobs} jobs, {left} not succeeded")
    return seconds


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("library", choices=["pgqueuer", "procrastinate"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--jobs", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    name = f"charter_bench_{options.library}_{os.getpid()}"
    parameters = await fresh_database(options.url, name)
    try:
        if options.library == "pgqueuer":
            seconds = await run_pgqueuer(options, parameters)
        else:
            seconds = await run_procrastinate(options, parameters)
    finally:
        await drop_database(options.url, name)
    print(f"{options.library} jobs {options.jobs} seconds {seconds:.3f} "
          f"jobs/s {int(options.jobs / seconds)}")


if __name__ == "__main__":
    asyncio.run(main())
