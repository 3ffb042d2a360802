#pragma once
// One node of the pipeline on the editor's canvas: a header in its family's colour with the
// catalogue title, the node id and type id beneath it, input ports on the left edge and output
// ports on the right (circles in their port type's colour, hollow when optional), then the
// parameter values, set ones in full colour and catalogue defaults greyed. A node that does not
// validate gets a red outline and a warning badge whose tooltip lists the reasons, in the words
// `crl validate` prints. The item is movable and selectable; the scene turns a finished drag
// into a move command and a drag from a port into a link.

#include <QGraphicsItem>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

#include "graph/NodeCatalogue.h"
#include "graph/PipelineGraph.h"

class QGraphicsEllipseItem;

namespace crl::widgets {

class NodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };

    /// A port under a point: its name and which side of the node it is on.
    struct PortHit {
        std::string name;
        bool input = false;
    };

    /// `usedInputs`/`usedOutputs` are the port names edges attach to; those the type does not
    /// declare get a red port so that every edge still has an end to meet.
    NodeItem(const graph::Node& node, const std::vector<std::string>& usedInputs = {},
             const std::vector<std::string>& usedOutputs = {});

    /// Redraws for a changed node (parameters, used ports); the position is left to the caller.
    void setNode(const graph::Node& node, const std::vector<std::string>& usedInputs,
                 const std::vector<std::string>& usedOutputs);
    /// Validation problems (ValidationIssue::describe() text); empty clears the mark.
    void setProblems(const QStringList& problems);
    const QStringList& problems() const { return m_problems; }

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    const std::string& nodeId() const { return m_id; }
    /// False when the catalogue has no entry for the node's type.
    bool isKnownType() const { return m_known; }
    /// The box's size in scene units (without the port circles sticking out).
    QSizeF size() const { return {kWidth, m_height}; }

    /// Scene position of an input port's centre; nullopt when the node has no such port.
    std::optional<QPointF> inputPosition(const std::string& port) const;
    std::optional<QPointF> outputPosition(const std::string& port) const;
    /// The colour edges leaving `port` are drawn in.
    QColor outputColour(const std::string& port) const;
    /// The port whose circle is within `tolerance` of `scenePos`, if any.
    std::optional<PortHit> portAt(QPointF scenePos, double tolerance = 8.0) const;

    static constexpr double kWidth = 230.0;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

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
    bool m_known = false;
    std::vector<Port> m_inputs;
    std::vector<Port> m_outputs;
    std::vector<ParamRow> m_params;
    double m_height = 0.0;
    QStringList m_problems;
    QGraphicsEllipseItem* m_badge = nullptr;
};

}  // namespace crl::widgets
