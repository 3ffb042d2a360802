#include "widgets/editor/NodeItem.h"

#include <QFont>
#include <QFontMetricsF>
#include <QGraphicsEllipseItem>
#include <QGraphicsSimpleTextItem>
#include <QLineF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <variant>

#include "widgets/PipelineColours.h"
#include "widgets/editor/EditorScene.h"

namespace crl::widgets {

namespace {

// Fixed geometry in scene units: boxes keep their shape whatever the screen font is.
constexpr double kCornerRadius = 6.0;
constexpr double kHeaderHeight = 24.0;
constexpr double kSubtitleHeight = 18.0;
constexpr double kPortTop = kHeaderHeight + kSubtitleHeight + 4.0;
constexpr double kPortRowHeight = 20.0;
constexpr double kPortRadius = 5.0;
constexpr double kParamRowHeight = 16.0;
constexpr double kPadding = 10.0;

const QColor kBodyColour(0xfa, 0xfa, 0xfa);
const QColor kUnknownBodyColour(0xff, 0xeb, 0xee);
const QColor kBorderColour(0x61, 0x61, 0x61);
const QColor kTextColour(0x21, 0x21, 0x21);
const QColor kDimTextColour(0x9e, 0x9e, 0x9e);
const QColor kUndeclaredPortColour(0xbd, 0xbd, 0xbd);
const QColor kSelectionColour(0x1e, 0x88, 0xe5);

QFont pixelFont(int pixels, bool bold = false, bool italic = false) {
    QFont font;
    font.setPixelSize(pixels);
    font.setBold(bold);
    font.setItalic(italic);
    return font;
}

/// Strings are shown bare inside the box; toString quotes them for messages.
QString displayValue(const graph::ParamValue& value, const std::string& unit) {
    QString text = std::holds_alternative<std::string>(value)
                       ? QString::fromStdString(std::get<std::string>(value))
                       : QString::fromStdString(graph::toString(value));
    if (!unit.empty())
        text += QLatin1Char(' ') + QString::fromStdString(unit);
    return text;
}

}  // namespace

NodeItem::NodeItem(const graph::Node& node, const std::vector<std::string>& usedInputs,
                   const std::vector<std::string>& usedOutputs) {
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);

    // The warning badge sits on the header's right end; its tooltip carries the reasons.
    m_badge = new QGraphicsEllipseItem(QRectF(-9.0, -9.0, 18.0, 18.0), this);
    m_badge->setPos(kWidth - 2.0, 0.0);
    m_badge->setBrush(unknownColour());
    m_badge->setPen(QPen(Qt::white, 1.5));
    auto* mark = new QGraphicsSimpleTextItem(QStringLiteral("!"), m_badge);
    mark->setFont(pixelFont(13, true));
    mark->setBrush(Qt::white);
    mark->setPos(-mark->boundingRect().width() / 2.0, -mark->boundingRect().height() / 2.0);
    m_badge->setVisible(false);

    setNode(node, usedInputs, usedOutputs);
    setPos(node.x, node.y);
}

void NodeItem::setNode(const graph::Node& node, const std::vector<std::string>& usedInputs,
                       const std::vector<std::string>& usedOutputs) {
    prepareGeometryChange();
    const graph::NodeType* type = graph::NodeCatalogue::instance().find(node.type);
    m_id = node.id;
    m_known = type != nullptr;
    m_inputs.clear();
    m_outputs.clear();
    m_params.clear();

    const QString typeId = QString::fromStdString(node.type);
    m_subtitle = QString::fromStdString(node.id) + QStringLiteral("  ·  ") + typeId;

    // Header and the ports the type declares.
    if (type != nullptr) {
        m_title = QString::fromStdString(type->title);
        m_headerColour = familyColour(type->family);
        m_help = QString::fromStdString(type->help);
        if (!type->surveySection.empty())
            m_help += QStringLiteral(" (survey ") + QString::fromStdString(type->surveySection) +
                      QLatin1Char(')');
        for (const auto& port : type->inputs)
            m_inputs.push_back({port.name, portColour(port.type), true, port.optional});
        for (const auto& port : type->outputs)
            m_outputs.push_back({port.name, portColour(port.type), true, port.optional});
    } else {
        m_title = QObject::tr("Unknown type");
        m_headerColour = unknownColour();
        m_help = QObject::tr("The node catalogue has no type \"%1\".").arg(typeId);
    }
    setToolTip(m_help);

    // Ports that edges use but the type lacks, so those edges still have somewhere to end.
    auto addUsed = [&](std::vector<Port>& ports, const std::vector<std::string>& used) {
        for (const auto& name : used) {
            const bool present = std::any_of(ports.begin(), ports.end(),
                                             [&](const Port& p) { return p.name == name; });
            if (!present)
                ports.push_back({name, m_known ? unknownColour() : kUndeclaredPortColour, false});
        }
    };
    addUsed(m_inputs, usedInputs);
    addUsed(m_outputs, usedOutputs);

    // Parameters: the catalogue's, in catalogue order, then any the type does not declare.
    if (type != nullptr) {
        for (const auto& spec : type->params) {
            const auto set = node.params.find(spec.name);
            const bool isSet = set != node.params.end();
            m_params.push_back({QString::fromStdString(spec.name),
                                displayValue(isSet ? set->second : spec.defaultValue, spec.unit),
                                isSet ? ParamState::Set : ParamState::Default});
        }
    }
    for (const auto& [name, value] : node.params) {
        if (type != nullptr && type->param(name) != nullptr)
            continue;
        m_params.push_back({QString::fromStdString(name), displayValue(value, {}),
                            m_known ? ParamState::Undeclared : ParamState::Set});
    }

    const std::size_t portRows = std::max(m_inputs.size(), m_outputs.size());
    m_height =
        kPortTop + static_cast<double>(portRows) * kPortRowHeight +
        (m_params.empty() ? 0.0 : 6.0 + static_cast<double>(m_params.size()) * kParamRowHeight) +
        kPadding;
    update();
}

void NodeItem::setProblems(const QStringList& problems) {
    if (problems == m_problems)
        return;
    m_problems = problems;
    m_badge->setVisible(!problems.isEmpty());
    m_badge->setToolTip(problems.join(QLatin1Char('\n')));
    update();
}

std::optional<NodeItem::PortHit> NodeItem::portAt(QPointF scenePos, double tolerance) const {
    const QPointF local = mapFromScene(scenePos);
    auto near = [&](QPointF centre) {
        return QLineF(centre, local).length() <= kPortRadius + tolerance;
    };
    for (std::size_t row = 0; row < m_inputs.size(); ++row)
        if (near(QPointF(0.0, portY(row))))
            return PortHit{m_inputs[row].name, true};
    for (std::size_t row = 0; row < m_outputs.size(); ++row)
        if (near(QPointF(kWidth, portY(row))))
            return PortHit{m_outputs[row].name, false};
    return std::nullopt;
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    // Links follow the box while it is dragged, before any move command exists.
    if (change == ItemPositionHasChanged)
        if (auto* editor = dynamic_cast<EditorScene*>(scene()))
            editor->nodeItemMoved(*this);
    return QGraphicsItem::itemChange(change, value);
}

QRectF NodeItem::boundingRect() const {
    // Port circles stick out of the box by their radius, the selection ring by 4.
    const double margin = kPortRadius + 1.0;
    return QRectF(-margin, -5.0, kWidth + 2.0 * margin, m_height + 10.0);
}

double NodeItem::portY(std::size_t row) const {
    return kPortTop + (static_cast<double>(row) + 0.5) * kPortRowHeight;
}

std::optional<QPointF> NodeItem::inputPosition(const std::string& port) const {
    for (std::size_t row = 0; row < m_inputs.size(); ++row)
        if (m_inputs[row].name == port)
            return mapToScene(QPointF(0.0, portY(row)));
    return std::nullopt;
}

std::optional<QPointF> NodeItem::outputPosition(const std::string& port) const {
    for (std::size_t row = 0; row < m_outputs.size(); ++row)
        if (m_outputs[row].name == port)
            return mapToScene(QPointF(kWidth, portY(row)));
    return std::nullopt;
}

QColor NodeItem::outputColour(const std::string& port) const {
    for (const auto& output : m_outputs)
        if (output.name == port)
            return output.colour;
    return kUndeclaredPortColour;
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF box(0.0, 0.0, kWidth, m_height);
    QPainterPath outline;
    outline.addRoundedRect(box, kCornerRadius, kCornerRadius);

    const bool faulty = !m_known || !m_problems.isEmpty();
    painter->setPen(QPen(faulty ? unknownColour() : kBorderColour, faulty ? 2.0 : 1.0));
    painter->setBrush(m_known ? kBodyColour : kUnknownBodyColour);
    painter->drawPath(outline);

    // The header is the top of the rounded outline, so its upper corners follow the box.
    QPainterPath header;
    header.addRect(QRectF(0.0, 0.0, kWidth, kHeaderHeight));
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_headerColour);
    painter->drawPath(outline.intersected(header));

    painter->setFont(pixelFont(13, true));
    painter->setPen(Qt::white);
    const QRectF titleRect(kPadding, 0.0, kWidth - 2.0 * kPadding, kHeaderHeight);
    painter->drawText(
        titleRect, Qt::AlignVCenter | Qt::AlignLeft,
        QFontMetricsF(painter->font()).elidedText(m_title, Qt::ElideRight, titleRect.width()));

    painter->setFont(pixelFont(10, false, true));
    painter->setPen(m_known ? kDimTextColour : unknownColour());
    const QRectF subtitleRect(kPadding, kHeaderHeight, kWidth - 2.0 * kPadding, kSubtitleHeight);
    painter->drawText(subtitleRect, Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetricsF(painter->font())
                          .elidedText(m_subtitle, Qt::ElideMiddle, subtitleRect.width()));

    painter->setFont(pixelFont(11));
    for (std::size_t row = 0; row < m_inputs.size(); ++row)
        paintPort(painter, m_inputs[row], row, true);
    for (std::size_t row = 0; row < m_outputs.size(); ++row)
        paintPort(painter, m_outputs[row], row, false);

    paintParams(painter);

    if (isSelected()) {
        painter->setPen(QPen(kSelectionColour, 2.5));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(box.adjusted(-3.0, -3.0, 3.0, 3.0), kCornerRadius + 2.0,
                                 kCornerRadius + 2.0);
    }
}

void NodeItem::paintPort(QPainter* painter, const Port& port, std::size_t row, bool input) const {
    const QPointF centre(input ? 0.0 : kWidth, portY(row));
    painter->setPen(QPen(kBorderColour, 1.0));
    // Optional inputs are hollow: the pipeline runs without them.
    painter->setBrush(port.optional ? QBrush(Qt::white) : QBrush(port.colour));
    if (port.optional)
        painter->setPen(QPen(port.colour, 2.0));
    painter->drawEllipse(centre, kPortRadius, kPortRadius);

    painter->setPen(port.declared ? kTextColour : unknownColour());
    const double textWidth = kWidth / 2.0 - kPadding - 4.0;
    const QRectF textRect(input ? kPadding : kWidth / 2.0 + 4.0, centre.y() - kPortRowHeight / 2.0,
                          textWidth, kPortRowHeight);
    painter->drawText(
        textRect, Qt::AlignVCenter | (input ? Qt::AlignLeft : Qt::AlignRight),
        QFontMetricsF(painter->font())
            .elidedText(QString::fromStdString(port.name), Qt::ElideRight, textWidth));
}

void NodeItem::paintParams(QPainter* painter) const {
    if (m_params.empty())
        return;

    const std::size_t portRows = std::max(m_inputs.size(), m_outputs.size());
    double y = kPortTop + static_cast<double>(portRows) * kPortRowHeight + 3.0;
    painter->setPen(QPen(QColor(0xe0, 0xe0, 0xe0), 1.0));
    painter->drawLine(QPointF(kPadding, y), QPointF(kWidth - kPadding, y));
    y += 3.0;

    painter->setFont(pixelFont(11));
    const QFontMetricsF metrics(painter->font());
    const double inner = kWidth - 2.0 * kPadding;
    for (const auto& row : m_params) {
        const QColor colour = row.state == ParamState::Set       ? kTextColour
                              : row.state == ParamState::Default ? kDimTextColour
                                                                 : unknownColour();
        painter->setPen(colour);

        // Names keep at most half the row; the value gets the rest and is elided if longer.
        const double nameWidth = std::min(metrics.horizontalAdvance(row.name), inner / 2.0);
        const QRectF nameRect(kPadding, y, nameWidth, kParamRowHeight);
        const QRectF valueRect(kPadding + nameWidth + 8.0, y, inner - nameWidth - 8.0,
                               kParamRowHeight);
        painter->drawText(nameRect, Qt::AlignVCenter | Qt::AlignLeft,
                          metrics.elidedText(row.name, Qt::ElideRight, nameRect.width()));
        painter->drawText(valueRect, Qt::AlignVCenter | Qt::AlignRight,
                          metrics.elidedText(row.value, Qt::ElideMiddle, valueRect.width()));
        y += kParamRowHeight;
    }
}

}  // namespace crl::widgets
