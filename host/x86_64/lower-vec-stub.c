/*
 * Default lower_vec for builds without host/x86_64/lower-vec.c: no vector
 * op can be lowered (a block that needs one ends with EXIT_UDEF).  Only
 * compiled while lower-vec.c does not exist (see meson.build).
 */
#include "host/x86_64/backend.h"

__attribute__((weak)) bool lower_vec(CodeBuf *cb, const IRBlock *blk, const IRInsn *insn,
                                     LowerCtx *lc)
{
    return false;
}
