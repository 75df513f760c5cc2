"""Real servers for tests that need several processes: manage.py and the web server as
deployed, and an S3-compatible object store on loopback (the ``s3_media`` fixture)."""

import http.client
import json
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    """Run ``manage.py`` with ``env``; its standard output."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def answers(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False


@contextmanager
def web_server(env, workers=2, threads=1):
    """``newsroom.serve`` (Granian, as deployed) on a free port, quiet; yields the port.

    Granian binds the port itself (it takes no open socket, as gunicorn's ``fd://``
    did), so another process, such as another pytest-xdist worker's server, may take
    a free port first: Granian then exits at once, and another port is tried.
    """
    for _ in range(3):
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "newsroom.serve", "--bind", f"127.0.0.1:{port}"]
            + ["--no-access-log"],
            cwd=ROOT,
            env={**env, "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if serves(server, port):
            break
        stop(server)
    else:
        pytest.fail("the web server did not start")
    try:
        yield port
    finally:
        stop(server)


def serves(server, port):
    for _ in range(300):  # at most ~30 s to answer
        if server.poll() is not None:
            return False
        if answers(port):
            time.sleep(0.5)  # a server that lost the port to another has exited by now
            return server.poll() is None
        time.sleep(0.1)
    return False


def stop(server):
    server.terminate()
    server.wait(timeout=30)


@contextmanager
def scratch_postgres(suffix):
    """An empty PostgreSQL database beside the test database, dropped afterwards: its
    URL and name."""
    import psycopg

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_live_{suffix}"
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
    if db["PASSWORD"]:
        server["password"] = db["PASSWORD"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""

    def admin(sql):
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            connection.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}", name
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def s3_server():
    """moto's S3-compatible server on loopback (the S3 HTTP API, as a bucket speaks it);
    yields its address. Nothing leaves the machine."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3_endpoint():
    with s3_server() as endpoint:
        yield endpoint


@dataclass
class ObjectStorage:
    endpoint: str
    bucket: str
    client: object  # boto3's S3 client, to look at what the site stored

    def stored(self, name):
        """The object ``name`` as the bucket holds it (boto3's head_object), or None."""
        try:
            return self.client.head_object(Bucket=self.bucket, Key=name)
        except self.client.exceptions.ClientError:
            return None


def public_read(bucket):
    """The bucket policy that lets anyone read the objects (README, "Configuration")."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


@pytest.fixture
def s3_media(s3_endpoint, settings, monkeypatch):
    """The site's media in an empty bucket of the loopback S3 server, configured as a
    deployment is (MEDIA_STORAGE=s3 and the MEDIA_S3_* variables), with dummy
    credentials and no instance-metadata lookups."""
    import boto3

    from newsroom import settings_storage

    bucket = f"media-{uuid.uuid4().hex[:12]}"
    environment = {
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": "testing",
        "MEDIA_S3_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    media = settings_storage.from_environment(ROOT)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    # Media are public, as the README has deployments make them: readers fetch plain URLs.
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
    # Django's setting_changed handler forgets the storages made so far (default_storage too).
    settings.STORAGES = {**settings.STORAGES, "default": media.storage}
    settings.MEDIA_URL = media.url
    return ObjectStorage(endpoint=s3_endpoint, bucket=bucket, client=client)
