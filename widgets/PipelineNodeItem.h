#pragma once
// One node of a pipeline drawn as a box: a header in its family's colour with the catalogue
// title, the node id and type id beneath it, input ports on the left edge and output ports on
// the right (circles in their port type's colour), then the parameter values. Values the user
// set are drawn in full colour, catalogue defaults greyed. Read-only; the item paints
// everything itself, so a scene holds exactly one item per node.

#include <QGraphicsItem>

#include <optional>
#include <string>
#include <vector>

#include "graph/NodeCatalogue.h"
#include "graph/PipelineGraph.h"

namespace crl::widgets {

class PipelineNodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };

    /// `type` is the catalogue entry or nullptr when the catalogue lacks node.type; the box is
    /// then drawn red. `usedInputs`/`usedOutputs` are the port names edges attach to; those the
    /// type does not declare get a red port so that every edge still has an end to meet.
    PipelineNodeItem(const graph::Node& node, const graph::NodeType* type,
                     const std::vector<std::string>& usedInputs,
                     const std::vector<std::string>& usedOutputs);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    const std::string& nodeId() const { return m_id; }
    /// False when the catalogue has no entry for the node's type.
    bool isKnownType() const { return m_known; }

    /// Scene position of an input port's centre; nullopt when the node has no such port.
    std::optional<QPointF> inputPosition(const std::string& port) const;
    std::optional<QPointF> outputPosition(const std::string& port) const;
    /// The colour edges leaving `port` are drawn in.
    QColor outputColour(const std::string& port) const;

    static constexpr double kWidth = 230.0;

private:
    struct Port {
        std::string name;
        QColor colour;
        bool declared = true;  ///< false: used by an edge but not declared by the type
        bool optional = false;
    };

    enum class ParamState { Set, Default, Undeclared };

    struct ParamRow {
        QString name;
        QString value;
        ParamState state;
    };

    double portY(std::size_t row) const;
    void paintPort(QPainter* painter, const Port& port, std::size_t row, bool input) const;
    void paintParams(QPainter* painter) const;

    std::string m_id;
    QString m_title;
    QString m_subtitle;
    QString m_help;
    QColor m_headerColour;
    bool m_known;
    std::vector<Port> m_inputs;
    std::vector<Port> m_outputs;
    std::vector<ParamRow> m_params;
    double m_height = 0.0;
};

}  // namespace crl::widgets
