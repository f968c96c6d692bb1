"""A foreign KMS client: boto3 against the endpoint in AWS_ENDPOINT_URL.

Creates an RSA signing key with an alias, signs and verifies (RAW and DIGEST), gets the public key, pages the
aliases, checks that a bad signature raises KMSInvalidSignatureException, and prints one JSON object with what it
saw for the calling test to check.
"""
import base64
import hashlib
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError


def main() -> None:
    kms = boto3.client("kms", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_DEFAULT_REGION"])
    alias = sys.argv[1]
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY", Description="boto3 interop")["KeyMetadata"]
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])

    message = b"signed by boto3 through the simulator"
    signed = kms.sign(KeyId=alias, Message=message, SigningAlgorithm="RSASSA_PSS_SHA_256")
    verified = kms.verify(KeyId=key["Arn"], Message=message, Signature=signed["Signature"], SigningAlgorithm="RSASSA_PSS_SHA_256")
    digest_signed = kms.sign(
        KeyId=key["KeyId"], Message=hashlib.sha256(message).digest(), MessageType="DIGEST",
        SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256",
    )
    try:
        kms.verify(KeyId=key["KeyId"], Message=b"another message", Signature=signed["Signature"],
                   SigningAlgorithm="RSASSA_PSS_SHA_256")
        bad_signature_error = None
    except ClientError as error:
        bad_signature_error = {"code": error.response["Error"]["Code"],
                               "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
    public = kms.get_public_key(KeyId=alias)

    aliases = []
    for page in kms.get_paginator("list_aliases").paginate(PaginationConfig={"PageSize": 2}):
        aliases.extend(a["AliasName"] for a in page["Aliases"])

    print(json.dumps({
        "key_id": key["KeyId"],
        "arn": key["Arn"],
        "creation_date_type": type(key["CreationDate"]).__name__,
        "signing_algorithms": key["SigningAlgorithms"],
        "signature": base64.b64encode(signed["Signature"]).decode(),
        "digest_signature": base64.b64encode(digest_signed["Signature"]).decode(),
        "message": base64.b64encode(message).decode(),
        "signature_valid": verified["SignatureValid"],
        "bad_signature_error": bad_signature_error,
        "public_key": base64.b64encode(public["PublicKey"]).decode(),
        "public_key_id": public["KeyId"],
        "aliases": aliases,
    }))


if __name__ == "__main__":
    main()
