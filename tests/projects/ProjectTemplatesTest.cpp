// Every method template under projects/ as a user meets it: `crl validate` accepts the folder,
// the folder holds a README, and one short epoch on a Fashion-MNIST subset trains to a finite loss
// with a kNN accuracy above chance. A template broken by a catalogue change fails here.

#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "MonitorOften.h"
#include "io/ProjectFile.h"
#include "train/Trainer.h"

using namespace crl;

namespace {

const std::filesystem::path kProjects = std::filesystem::path(CRL_SOURCE_DIR) / "projects";

std::vector<std::string> templateFolders() {
    std::vector<std::string> folders;
    for (const auto& entry : std::filesystem::directory_iterator(kProjects)) {
        if (entry.is_directory()) {
            folders.push_back(entry.path().filename().string());
        }
    }
    std::sort(folders.begin(), folders.end());
    return folders;
}

class SilentSink : public train::RunSink {
public:
    void onEvent(const train::RunEvent&) override {}
};

void addTemplateRows() {
    QTest::addColumn<QString>("folder");
    for (const std::string& folder : templateFolders()) {
        QTest::newRow(folder.c_str()) << QString::fromStdString(folder);
    }
}

}  // namespace

class ProjectTemplatesTest : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const data::DatasetSplits> m_data;

private slots:
    void initTestCase() {
        QVERIFY(templateFolders().size() >= 5);
        io::Project project = io::loadProject(kProjects / "simclr-fashion-mnist");
        m_data = train::loadPipelineData(project.graph, project.folder);
    }

    void cliValidatesTheTemplate_data() { addTemplateRows(); }

    void cliValidatesTheTemplate() {
        QFETCH(QString, folder);
        const QString path = QString::fromStdString((kProjects / folder.toStdString()).string());
        QProcess crl;

        crl.start(CRL_CLI_PATH, {"validate", path});
        QVERIFY(crl.waitForFinished(60000));

        const QString out = QString::fromUtf8(crl.readAllStandardOutput());
        const QString err = QString::fromUtf8(crl.readAllStandardError());
        QVERIFY2(crl.exitCode() == 0 && out.contains("valid"), qPrintable(out + err));
        const std::filesystem::path readme = kProjects / folder.toStdString() / "README.md";
        QVERIFY2(std::filesystem::exists(readme), "each template explains itself in a README");
    }

    void shortEpochTrainsAboveChance_data() { addTemplateRows(); }

    void shortEpochTrainsAboveChance() {
        QFETCH(QString, folder);
        io::Project project = io::loadProject(kProjects / folder.toStdString());
        testing::monitorOften(project.graph, 4, 128);
        train::RunSettings s;
        s.epochs = 1;
        s.batchSize = 64;
        s.seed = 3;
        s.device = "cpu";
        s.threads = 2;
        s.maxSamples = 256;
        s.maxEvalSamples = 500;
        SilentSink silent;
        train::RunControl control;

        const train::TrainResult result =
            train::Trainer(project.graph, project.folder, s, {{}, {}, m_data}).run(silent, control);

        QCOMPARE(result.steps, 4);
        QVERIFY2(std::isfinite(result.lastLoss), qPrintable(QString::number(result.lastLoss)));
        // Ten balanced classes: chance is 0.1.
        QVERIFY2(result.knnTop1 > 0.2, qPrintable(QString::number(result.knnTop1)));
    }
};

QTEST_GUILESS_MAIN(ProjectTemplatesTest)
#include "ProjectTemplatesTest.moc"
