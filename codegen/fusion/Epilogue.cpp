//===- Epilogue.cpp - Elementwise ops that follow a kernel's result -------===//
#include "codegen/fusion/Epilogue.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;

namespace onnxc {
namespace {

/// Whether `def`, an op after `start` in its block, reads (through any
/// number of ops after `start`) a value that `start` or the epilogue
/// computes. Operands defined before `start` cannot.
bool dependsOn(Operation *def, Operation *start,
               const llvm::SmallPtrSetImpl<Operation *> &inside) {
  SmallVector<Operation *> work{def};
  llvm::SmallPtrSet<Operation *, 16> seen{def};
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    for (Value operand : op->getOperands()) {
      Operation *d = operand.getDefiningOp();
      if (!d || d->getBlock() != start->getBlock() ||
          !start->isBeforeInBlock(d) || !seen.insert(d).second)
        continue;
      if (inside.contains(d))
        return true;
      work.push_back(d);
    }
  }
  return false;
}

} // namespace

SmallVector<Operation *>
epilogueOps(Value value,
            llvm::function_ref<bool(Operation *, InsideFn)> accepts,
            size_t maxOps) {
  Operation *start = value.getDefiningOp();
  if (!start)
    return {};
  Block *block = start->getBlock();
  SmallVector<Operation *> ops, best;
  llvm::SmallPtrSet<Operation *, 16> inside{start};
  // `value`, or a result of an op taken (not another result of `start`).
  auto isInside = [&](Value v) {
    Operation *d = v.getDefiningOp();
    return v == value || (d != start && inside.contains(d));
  };
  // An operand is ready when the epilogue computes it or it cannot depend
  // on what the epilogue computes.
  auto ready = [&](Operation *op) {
    return llvm::all_of(op->getOperands(), [&](Value v) {
      Operation *d = v.getDefiningOp();
      return isInside(v) || !d || d->getBlock() != block ||
             d->isBeforeInBlock(start) || !dependsOn(d, start, inside);
    });
  };
  while (ops.size() < maxOps) {
    // The values that leave, and the users ready to take them in.
    SmallVector<Value> leaving;
    llvm::SetVector<Operation *> users;
    bool closed = true;
    auto visit = [&](Value v) {
      bool leaves = false;
      for (Operation *user : v.getUsers()) {
        if (inside.contains(user))
          continue;
        leaves = true;
        // A user that reads what another outside op computes from the
        // epilogue waits for that op (its operands are judged once ready).
        if (user->getBlock() != block)
          closed = false;
        else if (ready(user)) {
          if (accepts(user, isInside))
            users.insert(user);
          else
            closed = false;
        }
      }
      if (leaves)
        leaving.push_back(v);
    };
    visit(value);
    for (Operation *op : ops)
      visit(op->getResult(0));
    if (!ops.empty() && leaving.size() == 1 &&
        leaving.front() == ops.back()->getResult(0))
      best = ops;
    // A value that an op outside would read always leaves: no larger set
    // has one value leaving.
    if (!closed)
      break;
    Operation *next = nullptr;
    for (Operation *user : users)
      if (!next || user->isBeforeInBlock(next))
        next = user;
    if (!next)
      break;
    // Keep `ops` in block order: `next` may come before an op already in.
    auto at = llvm::find_if(
        ops, [&](Operation *op) { return next->isBeforeInBlock(op); });
    ops.insert(at, next);
    inside.insert(next);
  }
  return best;
}

} // namespace onnxc
