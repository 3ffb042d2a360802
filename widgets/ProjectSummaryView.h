#pragma once
// A read-only summary of a project: its name, description and run settings (how many epochs,
// the batch size N, the device, and how often alignment, uniformity and kNN accuracy are
// measured). Shown beside the pipeline so a user sees what a run would do before starting it.

#include <QWidget>

#include "io/ProjectFile.h"

class QFormLayout;
class QGroupBox;
class QLabel;

namespace crl::widgets {

class ProjectSummaryView : public QWidget {
    Q_OBJECT

public:
    explicit ProjectSummaryView(QWidget* parent = nullptr);

    /// Shows `project`; an empty Project clears the view.
    void setProject(const io::Project& project);

private:
    QLabel* m_name;
    QLabel* m_description;
    QLabel* m_folder;
    QGroupBox* m_runBox;
    QFormLayout* m_runForm;
};

}  // namespace crl::widgets
