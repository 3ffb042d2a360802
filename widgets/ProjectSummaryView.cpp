#include "widgets/ProjectSummaryView.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>

#include "train/MonitorSettings.h"

namespace crl::widgets {

namespace {

/// "0" means "everything" for the sample limits and "all cores" for threads.
QString countOrAll(std::int64_t value, const QString& all) {
    return value == 0 ? all : QString::number(value);
}

}  // namespace

ProjectSummaryView::ProjectSummaryView(QWidget* parent)
    : QWidget(parent),
      m_name(new QLabel(this)),
      m_description(new QLabel(this)),
      m_folder(new QLabel(this)),
      m_runBox(new QGroupBox(tr("Run settings"), this)),
      m_runForm(new QFormLayout(m_runBox)) {
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    m_name->setFont(nameFont);
    m_name->setWordWrap(true);
    m_description->setWordWrap(true);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folder->setWordWrap(true);
    m_folder->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folder->setStyleSheet(QStringLiteral("color: palette(mid);"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_name);
    layout->addWidget(m_description);
    layout->addWidget(m_folder);
    layout->addWidget(m_runBox);
    layout->addStretch(1);

    setProject(io::Project{});
}

void ProjectSummaryView::setProject(const io::Project& project) {
    m_name->setText(project.name.empty() ? tr("No project") : QString::fromStdString(project.name));
    m_description->setText(QString::fromStdString(project.description));
    m_description->setVisible(!project.description.empty());
    m_folder->setText(QString::fromStdString(project.folder.string()));
    m_folder->setVisible(!project.folder.empty());
    // Defaults shown with no project open would read as settings of a project.
    m_runBox->setVisible(!project.folder.empty() || !project.name.empty());

    while (m_runForm->rowCount() > 0)
        m_runForm->removeRow(0);

    // What the run will measure: the monitor nodes' parameters where the graph has them.
    const train::RunSettings run = train::withMonitorNodes(project.graph, project.run);
    const QString all = tr("all");
    const QList<std::pair<QString, QString>> rows = {
        {tr("Epochs"), QString::number(run.epochs)},
        {tr("Batch size N"), QString::number(run.batchSize)},
        {tr("Seed"), QString::number(run.seed)},
        {tr("Device"), QString::fromStdString(run.device)},
        {tr("Threads"), run.threads == 0 ? tr("all cores") : QString::number(run.threads)},
        {tr("Train samples"), countOrAll(run.maxSamples, all)},
        {tr("Test samples (kNN)"), countOrAll(run.maxEvalSamples, all)},
        {tr("Alignment/uniformity every"), tr("%n step(s)", nullptr, run.metricsEvery)},
        {tr("Monitor pairs"), QString::number(run.monitorSamples)},
        {tr("kNN k"), QString::number(run.knnK)},
        {tr("kNN temperature"), QString::number(run.knnTemperature)},
        {tr("Checkpoint every"), tr("%n epoch(s)", nullptr, run.checkpointEvery)},
    };
    for (const auto& [label, value] : rows) {
        auto* field = new QLabel(value);
        field->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_runForm->addRow(label, field);
    }
}

}  // namespace crl::widgets
