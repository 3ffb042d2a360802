#pragma once
// The inspector for the node selected in the editor: its catalogue title, id and type id, the
// catalogue's help text and the survey section the node implements, what keeps it from
// validating, and one typed editor per parameter generated from the catalogue's ParamSpec:
// spin boxes with the spec's range and unit, a combo box for choices, a check box for flags,
// a line edit with a file or folder picker for paths. Parameters the node does not set show
// the catalogue default; each has a button that resets it. Every edit goes through the
// document's undo stack, and undo updates the editors.

#include <QWidget>

#include <map>
#include <string>

class QFormLayout;
class QLabel;
class QToolButton;

namespace crl::graph {
struct ParamSpec;
}

namespace crl::widgets {

class GraphDocument;

class NodeInspector : public QWidget {
    Q_OBJECT

public:
    explicit NodeInspector(QWidget* parent = nullptr);

    /// Inspects nodes of `document` (not owned; nullptr clears).
    void setDocument(GraphDocument* document);
    /// Shows node `id`; empty (or an unknown id) shows the "nothing selected" hint.
    void showNode(const std::string& id);
    const std::string& nodeId() const { return m_nodeId; }

    /// The editor generated for parameter `name` of the shown node, or nullptr.
    QWidget* editorFor(const std::string& name) const;
    /// The "reset to default" button of parameter `name`, or nullptr.
    QToolButton* resetButtonFor(const std::string& name) const;

private:
    struct Row {
        QLabel* label = nullptr;
        QWidget* editor = nullptr;
        QToolButton* reset = nullptr;
    };

    void rebuild();
    void clearRows();
    QWidget* createEditor(const graph::ParamSpec& spec);
    void refreshValues();
    void refreshProblems();
    void onNodeRemoved(const std::string& id);

    GraphDocument* m_document = nullptr;
    std::string m_nodeId;
    QLabel* m_title;
    QLabel* m_subtitle;
    QLabel* m_problems;
    QLabel* m_help;
    QLabel* m_section;
    QLabel* m_placeholder;
    QWidget* m_paramsBox;
    QFormLayout* m_form;
    std::map<std::string, Row> m_rows;
};

}  // namespace crl::widgets
