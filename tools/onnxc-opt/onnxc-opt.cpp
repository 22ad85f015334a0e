// onnxc-opt: mlir-opt with the onnx and kernel dialects and onnxc's passes,
// the driver of the lit tests.
#include "compiler/pipeline/Pipeline.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  onnxc::registerDialects(registry);
  onnxc::registerPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "onnxc optimizer driver\n", registry));
}
