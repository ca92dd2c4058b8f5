// Builds for other architectures have no x86 SIMD paths: the scalar path is the only one.
#include "isa.h"

namespace rk {
const IsaTable* isa_avx2() { return nullptr; }
const IsaTable* isa_avx512() { return nullptr; }
}  // namespace rk
