// The optimizer ops of the ai.onnx.preview.training domain, as default-domain
// nodes.
#ifndef ONNXC_COMPILER_IMPORTER_TRAINING_H
#define ONNXC_COMPILER_IMPORTER_TRAINING_H

#include <onnx/onnx_pb.h>

#include <vector>

namespace onnxc::importer {

/// The default-domain nodes that compute `node`, an Adagrad, Adam or
/// Momentum node of ai.onnx.preview.training, writing its outputs under
/// their names; empty for any other op. Throws ImportError when the node's
/// inputs, outputs or attributes do not fit the op.
std::vector<::onnx::NodeProto>
expandTrainingNode(const ::onnx::NodeProto &node);

} // namespace onnxc::importer

#endif
