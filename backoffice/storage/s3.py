"""S3-compatible object storage (AWS S3, MinIO, Ceph) for production."""
import boto3
from botocore.exceptions import ClientError

from backoffice.storage import StorageError, check_key, new_key


class S3Storage:
    """Objects in one bucket under a prefix."""

    def __init__(self, bucket, prefix="", endpoint_url=None, region=None):
        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def put(self, data, prefix="files"):
        """Store bytes under a new key and return the key."""
        key = new_key(prefix)
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)
        return key

    def get(self, key):
        """The bytes stored under a key."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + check_key(key))
        except ClientError as exc:
            raise StorageError(f"no object for key {key!r}") from exc
        return response["Body"].read()

    def delete(self, key):
        """Remove a key; removing a missing key is not an error."""
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + check_key(key))
