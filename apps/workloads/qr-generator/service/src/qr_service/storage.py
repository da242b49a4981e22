"""S3 access: existence check, create-only upload, presigned URL, bucket check.

Every failure is a StorageUnavailableError carrying a message and a Retry-After hint; the API
answers it with 503. Blocking (boto3): call from a worker thread.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from qr_service.settings import Settings

# Content-addressed objects never change, so clients may cache them for good.
IMMUTABLE = "public, max-age=31536000, immutable"
_RETRY_SOON = 2
_RETRY_LATER = 30


class StorageUnavailableError(Exception):
    def __init__(self, message: str, retry_after: int = _RETRY_SOON) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class BucketMissingError(StorageUnavailableError):
    pass


def make_client(settings: Settings) -> Any:
    config = Config(
        region_name=settings.region,
        signature_version="s3v4",
        connect_timeout=settings.s3_timeout,
        read_timeout=settings.s3_timeout,
        retries={"mode": "standard", "total_max_attempts": settings.s3_max_attempts},
        max_pool_connections=64,
        s3={"addressing_style": "path" if settings.endpoint_url else "auto"},
    )
    return boto3.session.Session().client("s3", endpoint_url=settings.endpoint_url, config=config)


class ObjectStore:
    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.bucket = settings.bucket
        self._prefix = settings.key_prefix
        self._expires = settings.presign_expires
        self._client = client if client is not None else make_client(settings)

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=self._prefix + key)
        except ClientError as error:
            if _status(error) == 404:
                return False
            raise self._unavailable(error, "check for the object") from None
        except BotoCoreError as error:
            raise self._unavailable(error, "check for the object") from None
        return True

    def put_if_absent(self, key: str, body: bytes, content_type: str) -> bool:
        """Store `body` unless the key exists (If-None-Match: *); True if this call stored it."""
        for _ in range(3):
            try:
                self._client.put_object(
                    Bucket=self.bucket,
                    Key=self._prefix + key,
                    Body=body,
                    ContentType=content_type,
                    CacheControl=IMMUTABLE,
                    IfNoneMatch="*",
                )
            except ClientError as error:
                if _status(error) == 412:
                    return False  # another request stored the same bytes first
                if _status(error) == 409:
                    continue  # a concurrent conditional write on this key: S3 asks to retry
                raise self._unavailable(error, "store the object") from None
            except BotoCoreError as error:
                raise self._unavailable(error, "store the object") from None
            return True
        raise StorageUnavailableError("S3 kept reporting conflicting writes for the same key")

    def presign(self, key: str) -> str:
        url: str = self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._prefix + key},
            ExpiresIn=self._expires,
        )
        return url

    def check_bucket(self) -> None:
        """Raises BucketMissingError or StorageUnavailableError unless the bucket answers."""
        try:
            self._client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as error:
            raise self._unavailable(error, "reach the bucket") from None

    def _unavailable(self, error: Exception, action: str) -> StorageUnavailableError:
        if isinstance(error, NoCredentialsError):
            return StorageUnavailableError(
                "no AWS credentials found; in EKS check the Pod Identity association of "
                "backend-service-account, locally set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
                _RETRY_LATER,
            )
        if isinstance(error, ClientError):
            code = error.response.get("Error", {}).get("Code", "")
            if code == "NoSuchBucket" or (action == "reach the bucket" and _status(error) == 404):
                return BucketMissingError(
                    f"S3 bucket {self.bucket!r} does not exist; create it or fix S3_BUCKET_NAME",
                    _RETRY_LATER,
                )
            if _status(error) == 403:
                return StorageUnavailableError(
                    f"access to S3 bucket {self.bucket!r} is denied; check the IAM role's policy",
                    _RETRY_LATER,
                )
            return StorageUnavailableError(f"S3 could not {action} ({code or 'error'})")
        return StorageUnavailableError(f"S3 is unreachable ({type(error).__name__})")


def _status(error: ClientError) -> int:
    status: int = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return status
