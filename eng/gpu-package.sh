#!/usr/bin/env bash
# Packages the client for a GPU machine that has PyTorch (with CUDA) but no .NET, as
# ../shared/docs/gpu-machine.md step 1 describes: a self-contained linux-x64 publish whose CPU
# libtorch natives are removed (the GPU machine's PyTorch brings its own CUDA libtorch; TorchSharp's
# shim libLibTorchSharp.so stays), packed with xz into one file small enough to travel (< 64 MiB).
#
# Usage: eng/gpu-package.sh [OUT_DIR]      (default .gpu, which git ignores)
# Writes OUT_DIR/multiagentrec-gpu.tar.xz (a folder pub/ inside) and prints the command to run there.
# Needs the .NET SDK and the NuGet feed (for the linux-x64 runtime pack); ~600 MB of disk while it runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT="${1:-.gpu}"
PUB="$OUT/pub"
LIMIT=$((64 * 1024 * 1024))

rm -rf "$PUB"; mkdir -p "$OUT"
echo "gpu-package: publishing a self-contained linux-x64 client into $PUB" >&2
dotnet publish Client/Client.csproj -c Release -r linux-x64 --self-contained true -o "$PUB" -nologo -v q >&2

# TorchSharp-cpu's libtorch and its helpers: the GPU machine's PyTorch replaces them all.
find "$PUB" -type f \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libgomp*' -o -name 'libshm.so*' \
  -o -name '*_test.so' -o -name '*backend*.so*' -o -name 'libaoti_custom_ops.so' -o -name '*.pdb' \) -delete
[ -f "$PUB/libLibTorchSharp.so" ] || { echo "gpu-package: libLibTorchSharp.so is missing from $PUB" >&2; exit 1; }
[ -f "$PUB/bench/trainer_reference.py" ] || { echo "gpu-package: bench/trainer_reference.py is missing from $PUB" >&2; exit 1; }

TAR="$OUT/multiagentrec-gpu.tar.xz"
echo "gpu-package: packing $(du -sh "$PUB" | cut -f1) into $TAR" >&2
XZ_OPT=-6T0 tar -cJf "$TAR" -C "$OUT" pub
size=$(stat -c %s "$TAR")
rm -rf "$PUB"
if [ "$size" -ge "$LIMIT" ]; then
  echo "gpu-package: $TAR is $((size / 1024 / 1024)) MiB, over the 64 MiB that travels" >&2; exit 1
fi
echo "gpu-package: $TAR, $((size / 1024 / 1024)) MiB" >&2
cat <<RUN
On the GPU machine (in the folder holding $TAR; \$OUT is where results go):
tar -xJf $(basename "$TAR") && L=\$(python3 -c "import torch,os;print(os.path.dirname(torch.__file__)+'/lib')") && LD_LIBRARY_PATH=\$L DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 ./pub/MultiAgentRec.Client bench trainer --device cuda --libtorch \$L --out \$OUT/trainer-bench
RUN
