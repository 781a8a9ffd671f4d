"""The FHIRPath engine agrees with fhirpathpy on the comparison corpus, except where
Tests/FHIRPathTests/Comparison/exceptions.md documents (with the spec section) who is right."""
import subprocess
import sys

from conftest import ROOT


def test_fhirpath_agrees_with_fhirpathpy_outside_documented_exceptions():
    script = ROOT / "Tests" / "FHIRPathTests" / "Comparison" / "compare.py"
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
