"""A throwaway self-signed certificate for tests (TLS configs, nginx -t, CA bundles)."""

import subprocess
from pathlib import Path


def self_signed_cert(directory: Path, common_name: str = "finscribe.test") -> tuple[Path, Path]:
    """Writes cert.pem and key.pem into `directory` (openssl, one day) and returns (cert, key)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={common_name}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key
