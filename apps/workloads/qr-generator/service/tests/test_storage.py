"""ObjectStore against the moto server: conditional PUT, HEAD, presign, bucket check, failures."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conftest import stored_versions
from qr_service.settings import Settings
from qr_service.storage import IMMUTABLE, BucketMissingError, ObjectStore, StorageUnavailableError

pytestmark = pytest.mark.integration


def test_put_if_absent_stores_once_and_reports_412_as_existing(
    settings: Settings, s3: Any, bucket: str
) -> None:
    store = ObjectStore(settings)
    assert store.exists("k.png") is False
    assert store.put_if_absent("k.png", b"first", "image/png") is True
    assert store.put_if_absent("k.png", b"second", "image/png") is False  # If-None-Match: *
    assert store.exists("k.png") is True
    stored = s3.get_object(Bucket=bucket, Key="qrcodes/k.png")
    assert stored["Body"].read() == b"first"
    assert stored["ContentType"] == "image/png"
    assert stored["CacheControl"] == IMMUTABLE
    assert len(stored_versions(s3, bucket)) == 1


def test_presigned_url_names_bucket_key_and_expiry(settings: Settings, bucket: str) -> None:
    url = ObjectStore(replace(settings, presign_expires=123)).presign("k.png")
    assert f"/{bucket}/qrcodes/k.png?" in url
    assert "X-Amz-Expires=123" in url
    assert "X-Amz-Signature=" in url


def test_check_bucket(settings: Settings) -> None:
    ObjectStore(settings).check_bucket()
    with pytest.raises(BucketMissingError) as raised:
        ObjectStore(replace(settings, bucket="qr-test-missing")).check_bucket()
    assert raised.value.message == (
        "S3 bucket 'qr-test-missing' does not exist; create it or fix S3_BUCKET_NAME"
    )
    assert raised.value.retry_after == 30


def test_put_into_missing_bucket_is_bucket_missing(settings: Settings) -> None:
    store = ObjectStore(replace(settings, bucket="qr-test-missing"))
    with pytest.raises(BucketMissingError):
        store.put_if_absent("k.png", b"x", "image/png")


def test_unreachable_s3_is_unavailable(down_settings: Settings) -> None:
    store = ObjectStore(down_settings)
    for call in (
        lambda: store.exists("k.png"),
        lambda: store.put_if_absent("k.png", b"x", "image/png"),
        store.check_bucket,
    ):
        with pytest.raises(StorageUnavailableError) as raised:
            call()
        assert raised.value.message == "S3 is unreachable (EndpointConnectionError)"
        assert raised.value.retry_after == 2


def test_conflicting_conditional_writes_are_retried(settings: Settings) -> None:
    class Conflicted:
        """A client whose first PUT meets a concurrent conditional write (S3 answers 409)."""

        def __init__(self, real: Any) -> None:
            self.real = real
            self.puts = 0

        def put_object(self, **kwargs: Any) -> Any:
            from botocore.exceptions import ClientError

            self.puts += 1
            if self.puts == 1:
                error = {"Code": "ConditionalRequestConflict"}
                raise ClientError(
                    {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 409}}, "PutObject"
                )
            return self.real.put_object(**kwargs)

    client = Conflicted(ObjectStore(settings)._client)
    store = ObjectStore(settings, client=client)
    assert store.put_if_absent("k.png", b"x", "image/png") is True
    assert client.puts == 2
