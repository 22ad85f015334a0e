// The optimizer ops of the ai.onnx.preview.training domain, as default-domain
// nodes.
#ifndef ONNXC_COMPILER_IMPORTER_TRAINING_H
#define ONNXC_COMPILER_IMPORTER_TRAINING_H

#include <onnx/onnx_pb.h>

#include <functional>
#include <string>
#include <vector>

namespace onnxc::importer {

/// The default-domain nodes that compute `node`, an Adagrad, Adam or
/// Momentum node of ai.onnx.preview.training, writing its outputs under
/// their names; empty for any other op. Throws ImportError when the node's
/// inputs, outputs or attributes do not fit the op.
std::vector<::onnx::NodeProto>
expandTrainingNode(const ::onnx::NodeProto &node);

/// The node that produces a value of the graph (or an enclosing one); null
/// for graph inputs, initializers and unknown names.
using ProducerLookup =
    std::function<const ::onnx::NodeProto *(const std::string &)>;

/// The default-domain nodes that compute a Gradient node's outputs: the
/// gradients of the sum of y's elements with respect to each of xs, by
/// reverse-mode differentiation of the nodes between them (which must
/// already be imported). Throws ImportError for a node it cannot
/// differentiate.
std::vector<::onnx::NodeProto> expandGradient(const ::onnx::NodeProto &node,
                                              const ProducerLookup &producerOf);

} // namespace onnxc::importer

#endif
