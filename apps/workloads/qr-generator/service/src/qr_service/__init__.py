"""QR code service: FastAPI on S3, content-addressed, with presigned URLs."""

__version__ = "0.1.0"
