#include "widgets/editor/NodeInspector.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>
#include <variant>

#include "graph/NodeCatalogue.h"
#include "widgets/PipelineColours.h"
#include "widgets/editor/GraphDocument.h"

namespace crl::widgets {

namespace {

/// Enough decimals to show a value as small as the default or the minimum (lr 2e-3 needs six,
/// 1e-4 seven) with three significant digits; at most eight.
int decimalsFor(const graph::ParamSpec& spec) {
    double smallest = 1.0;
    for (double v : {std::holds_alternative<double>(spec.defaultValue)
                         ? std::abs(std::get<double>(spec.defaultValue))
                         : 0.0,
                     std::abs(spec.minimum)})
        if (v > 0.0)
            smallest = std::min(smallest, v);
    return std::clamp(3 - static_cast<int>(std::floor(std::log10(smallest))), 3, 8);
}

int clampToInt(double value) {
    return static_cast<int>(
        std::clamp(value, static_cast<double>(INT_MIN), static_cast<double>(INT_MAX)));
}

QString unitSuffix(const graph::ParamSpec& spec) {
    return spec.unit.empty() ? QString() : QLatin1Char(' ') + QString::fromStdString(spec.unit);
}

QString asText(const graph::ParamValue& value) {
    return std::holds_alternative<std::string>(value)
               ? QString::fromStdString(std::get<std::string>(value))
               : QString::fromStdString(graph::toString(value));
}

double asNumber(const graph::ParamValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    return 0.0;
}

}  // namespace

NodeInspector::NodeInspector(QWidget* parent)
    : QWidget(parent),
      m_title(new QLabel),
      m_subtitle(new QLabel),
      m_problems(new QLabel),
      m_help(new QLabel),
      m_section(new QLabel),
      m_placeholder(new QLabel(tr("Select a node on the canvas to see and edit its parameters."))),
      m_paramsBox(new QWidget),
      m_form(new QFormLayout(m_paramsBox)) {
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(
        QStringLiteral("color: %1;").arg(unknownColour().name(QColor::HexRgb)));
    m_help->setWordWrap(true);
    m_section->setWordWrap(true);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);
    m_form->setContentsMargins(0, 8, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_problems);
    layout->addWidget(m_help);
    layout->addWidget(m_section);
    layout->addWidget(m_paramsBox);
    layout->addStretch(1);

    rebuild();
}

void NodeInspector::setDocument(GraphDocument* document) {
    if (m_document != nullptr)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_nodeId.clear();
    if (document != nullptr) {
        connect(document, &GraphDocument::nodeChanged, this, [this](const std::string& id) {
            if (id == m_nodeId)
                refreshValues();
        });
        connect(document, &GraphDocument::nodeRemoved, this, &NodeInspector::onNodeRemoved);
        connect(document, &GraphDocument::problemsChanged, this, &NodeInspector::refreshProblems);
        connect(document, &QObject::destroyed, this, [this] {
            m_document = nullptr;
            showNode({});
        });
    }
    rebuild();
}

void NodeInspector::showNode(const std::string& id) {
    if (id == m_nodeId)
        return;
    m_nodeId = id;
    rebuild();
}

QWidget* NodeInspector::editorFor(const std::string& name) const {
    const auto it = m_rows.find(name);
    return it == m_rows.end() ? nullptr : it->second.editor;
}

QToolButton* NodeInspector::resetButtonFor(const std::string& name) const {
    const auto it = m_rows.find(name);
    return it == m_rows.end() ? nullptr : it->second.reset;
}

void NodeInspector::onNodeRemoved(const std::string& id) {
    if (id == m_nodeId)
        showNode({});
}

void NodeInspector::clearRows() {
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_rows.clear();
}

void NodeInspector::rebuild() {
    clearRows();
    const graph::Node* node =
        m_document == nullptr ? nullptr : m_document->graph().findNode(m_nodeId);
    const bool shown = node != nullptr;
    if (!shown)
        m_nodeId.clear();
    m_placeholder->setVisible(!shown);
    for (QWidget* part :
         {static_cast<QWidget*>(m_title), static_cast<QWidget*>(m_subtitle),
          static_cast<QWidget*>(m_help), static_cast<QWidget*>(m_section), m_paramsBox})
        part->setVisible(shown);
    m_problems->setVisible(false);
    if (!shown)
        return;

    const graph::NodeType* type = graph::NodeCatalogue::instance().find(node->type);
    m_subtitle->setText(QString::fromStdString(node->id) + QStringLiteral("  ·  ") +
                        QString::fromStdString(node->type));
    if (type == nullptr) {
        m_title->setText(tr("Unknown type"));
        m_help->setText(tr("The node catalogue has no type \"%1\"; see `crl nodes` for the "
                           "types this version offers.")
                            .arg(QString::fromStdString(node->type)));
        m_section->clear();
        refreshProblems();
        return;
    }

    m_title->setText(QString::fromStdString(type->title));
    m_help->setText(QString::fromStdString(type->help));
    m_section->setText(type->surveySection.empty()
                           ? QString()
                           : tr("<i>Implements survey %1 (%2).</i>")
                                 .arg(QString::fromStdString(type->surveySection),
                                      QString::fromUtf8(toString(type->family).data(),
                                                        toString(type->family).size())));

    for (const graph::ParamSpec& spec : type->params) {
        Row row;
        row.label = new QLabel(QString::fromStdString(spec.name));
        row.label->setToolTip(QString::fromStdString(spec.help));
        row.editor = createEditor(spec);
        row.editor->setToolTip(QString::fromStdString(spec.help));
        row.reset = new QToolButton;
        row.reset->setText(QStringLiteral("↺"));
        row.reset->setToolTip(
            tr("Reset to the default, %1").arg(asText(spec.defaultValue) + unitSuffix(spec)));
        row.reset->setAutoRaise(true);
        const std::string name = spec.name;
        connect(row.reset, &QToolButton::clicked, this, [this, name] {
            if (m_document != nullptr)
                m_document->setParameter(m_nodeId, name, std::nullopt);
        });

        auto* field = new QWidget;
        auto* fieldLayout = new QHBoxLayout(field);
        fieldLayout->setContentsMargins(0, 0, 0, 0);
        fieldLayout->addWidget(row.editor, 1);
        fieldLayout->addWidget(row.reset);
        m_form->addRow(row.label, field);
        m_rows[spec.name] = row;
    }

    refreshValues();
    refreshProblems();
}

QWidget* NodeInspector::createEditor(const graph::ParamSpec& spec) {
    const std::string name = spec.name;
    auto push = [this, name](graph::ParamValue value) {
        if (m_document != nullptr)
            m_document->setParameter(m_nodeId, name, std::move(value));
    };

    switch (spec.kind) {
        case graph::ParamKind::Bool: {
            auto* box = new QCheckBox;
            connect(box, &QCheckBox::toggled, this, [push](bool on) { push(on); });
            return box;
        }
        case graph::ParamKind::Int: {
            auto* spin = new QSpinBox;
            spin->setRange(clampToInt(spec.minimum), clampToInt(spec.maximum));
            spin->setSuffix(unitSuffix(spec));
            connect(spin, &QSpinBox::valueChanged, this,
                    [push](int value) { push(std::int64_t{value}); });
            return spin;
        }
        case graph::ParamKind::Real: {
            auto* spin = new QDoubleSpinBox;
            spin->setDecimals(decimalsFor(spec));
            spin->setRange(spec.minimum, spec.maximum);
            spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
            spin->setSuffix(unitSuffix(spec));
            connect(spin, &QDoubleSpinBox::valueChanged, this,
                    [push](double value) { push(value); });
            return spin;
        }
        case graph::ParamKind::Choice: {
            auto* combo = new QComboBox;
            for (const std::string& choice : spec.choices)
                combo->addItem(QString::fromStdString(choice));
            connect(combo, &QComboBox::currentTextChanged, this,
                    [push](const QString& text) { push(text.toStdString()); });
            return combo;
        }
        case graph::ParamKind::Text: {
            auto* edit = new QLineEdit;
            connect(edit, &QLineEdit::textEdited, this,
                    [push](const QString& text) { push(text.toStdString()); });
            return edit;
        }
        case graph::ParamKind::Path: {
            auto* field = new QWidget;
            auto* layout = new QHBoxLayout(field);
            layout->setContentsMargins(0, 0, 0, 0);
            auto* edit = new QLineEdit;
            edit->setObjectName(QStringLiteral("pathEdit"));
            auto* browse = new QToolButton;
            browse->setText(QStringLiteral("…"));
            browse->setToolTip(tr("Choose a file or a folder"));
            browse->setPopupMode(QToolButton::InstantPopup);
            auto* menu = new QMenu(browse);
            auto choose = [this, edit, push](bool folder) {
                const QString start =
                    m_document == nullptr || m_document->filePath().empty()
                        ? QString()
                        : QString::fromStdString(m_document->filePath().parent_path().string());
                const QString chosen =
                    folder ? QFileDialog::getExistingDirectory(this, tr("Choose Folder"), start)
                           : QFileDialog::getOpenFileName(this, tr("Choose File"), start);
                if (!chosen.isEmpty()) {
                    edit->setText(chosen);
                    push(chosen.toStdString());
                }
            };
            menu->addAction(tr("Choose &File…"), this, [choose] { choose(false); });
            menu->addAction(tr("Choose F&older…"), this, [choose] { choose(true); });
            browse->setMenu(menu);
            layout->addWidget(edit, 1);
            layout->addWidget(browse);
            connect(edit, &QLineEdit::textEdited, this,
                    [push](const QString& text) { push(text.toStdString()); });
            return field;
        }
    }
    return new QLabel(tr("(not editable)"));
}

void NodeInspector::refreshValues() {
    const graph::Node* node =
        m_document == nullptr ? nullptr : m_document->graph().findNode(m_nodeId);
    const graph::NodeType* type =
        node == nullptr ? nullptr : graph::NodeCatalogue::instance().find(node->type);
    if (type == nullptr)
        return;

    for (const graph::ParamSpec& spec : type->params) {
        const auto rowIt = m_rows.find(spec.name);
        if (rowIt == m_rows.end())
            continue;
        const Row& row = rowIt->second;
        const bool set = node->params.count(spec.name) != 0;
        const graph::ParamValue value = set ? node->params.at(spec.name) : spec.defaultValue;

        // Defaults are shown greyed and in italics, as on the canvas.
        QFont font = row.label->font();
        font.setItalic(!set);
        row.label->setFont(font);
        row.label->setEnabled(set);
        row.reset->setEnabled(set);

        // Only differing values are written back, so typing keeps its cursor.
        const QSignalBlocker block(row.editor);
        if (auto* box = qobject_cast<QCheckBox*>(row.editor)) {
            const bool on = std::holds_alternative<bool>(value) && std::get<bool>(value);
            if (box->isChecked() != on)
                box->setChecked(on);
        } else if (auto* spin = qobject_cast<QSpinBox*>(row.editor)) {
            const int number = clampToInt(asNumber(value));
            if (spin->value() != number)
                spin->setValue(number);
        } else if (auto* real = qobject_cast<QDoubleSpinBox*>(row.editor)) {
            const double number = asNumber(value);
            if (real->value() != number)
                real->setValue(number);
        } else if (auto* combo = qobject_cast<QComboBox*>(row.editor)) {
            const QString text = asText(value);
            // A value the catalogue does not list (a hand-edited file) is shown, not replaced.
            if (combo->findText(text) < 0)
                combo->addItem(text);
            if (combo->currentText() != text)
                combo->setCurrentText(text);
        } else if (auto* edit = qobject_cast<QLineEdit*>(row.editor)) {
            if (edit->text() != asText(value))
                edit->setText(asText(value));
        } else if (auto* path = row.editor->findChild<QLineEdit*>(QStringLiteral("pathEdit"))) {
            const QSignalBlocker blockPath(path);
            if (path->text() != asText(value))
                path->setText(asText(value));
        }
    }
}

void NodeInspector::refreshProblems() {
    if (m_document == nullptr || m_nodeId.empty()) {
        m_problems->setVisible(false);
        return;
    }
    const auto& problems = m_document->nodeProblems();
    const auto it = problems.find(m_nodeId);
    const bool any = it != problems.end() && !it->second.isEmpty();
    m_problems->setVisible(any);
    if (any)
        m_problems->setText(QStringLiteral("⚠ ") + it->second.join(QStringLiteral("\n⚠ ")));
}

}  // namespace crl::widgets
