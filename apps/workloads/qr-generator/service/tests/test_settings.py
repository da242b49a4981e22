from __future__ import annotations

import pytest

from qr_service.settings import Settings, SettingsError, load_settings

VALID = {"S3_BUCKET_NAME": "qr-generator-codes-dev-111111111111", "AWS_REGION": "us-east-1"}


def test_defaults_match_the_configmap() -> None:
    settings = load_settings({**VALID, "PRESIGNED_URL_EXPIRES_SECONDS": "900"})
    assert settings == Settings(bucket=VALID["S3_BUCKET_NAME"], region="us-east-1")
    assert settings.presign_expires == 900
    assert settings.endpoint_url is None


def test_optional_variables_are_read() -> None:
    settings = load_settings(
        {
            **VALID,
            "S3_ENDPOINT_URL": "http://127.0.0.1:5000",
            "PRESIGNED_URL_EXPIRES_SECONDS": "60",
            "QR_ALLOWED_SCHEMES": "HTTPS, mailto",
            "QR_CACHE_SIZE": "5",
        }
    )
    assert settings.endpoint_url == "http://127.0.0.1:5000"
    assert settings.presign_expires == 60
    assert settings.allowed_schemes == frozenset({"https", "mailto"})
    assert settings.cache_size == 5


def test_every_problem_is_reported_with_a_hint() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(
            {
                "AWS_REGION": "Virginia",
                "S3_ENDPOINT_URL": "localhost:5000",
                "PRESIGNED_URL_EXPIRES_SECONDS": "forever",
                "QR_CACHE_SIZE": "-1",
                "QR_ALLOWED_SCHEMES": "https,1bad",
            }
        )
    assert str(raised.value).splitlines() == [
        "S3_BUCKET_NAME: is not set. Hint: set it to the QR-code bucket name",
        "AWS_REGION: 'Virginia' is not an AWS region such as us-east-1",
        "S3_ENDPOINT_URL: 'localhost:5000' is not an http(s) URL such as http://127.0.0.1:5000; "
        "unset it for AWS S3",
        "QR_ALLOWED_SCHEMES: 1bad are not URL schemes",
        "PRESIGNED_URL_EXPIRES_SECONDS: 'forever' is not a number; set a value from 1 to 604800",
        "QR_CACHE_SIZE: -1 is out of range; set a value from 0 to 10000000",
    ]


@pytest.mark.parametrize("bucket", ["ab", "Upper-Case", "-leading", "trailing-", "a..b", "x" * 64])
def test_invalid_bucket_names(bucket: str) -> None:
    with pytest.raises(SettingsError, match="is not a valid S3 bucket name"):
        load_settings({**VALID, "S3_BUCKET_NAME": bucket})
