// The crl command line as scripts use it: exit codes, messages naming the node or field, the
// run folder of `crl train`, .npy files from `crl embed` that parse back with their shape, and
// the eval.json of `crl eval`.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "io/NpyFile.h"

namespace {

struct Result {
    int exitCode;
    QString out;
    QString err;
};

Result runCrl(const QStringList& arguments, int timeoutMs = 600000) {
    QProcess process;
    process.start(CRL_CLI_PATH, arguments);
    process.waitForFinished(timeoutMs);
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

const QString kDefaultProject = QString(CRL_SOURCE_DIR) + "/projects/simclr-fashion-mnist";

QString writeProject(const QTemporaryDir& dir, const std::string& text) {
    QString path = dir.filePath("bad.crl.json");
    std::ofstream(path.toStdString()) << text;
    return path;
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void helpDescribesEveryCommandAndOption() {
        Result top = runCrl({"--help"});
        QCOMPARE(top.exitCode, 0);
        for (const char* command : {"train", "validate", "embed", "eval", "nodes"}) {
            QVERIFY2(top.out.contains(command), command);
        }
        Result train = runCrl({"train", "--help"});
        for (const char* option : {"--epochs", "--max-samples", "--device", "--seed", "--out"}) {
            QVERIFY2(train.out.contains(option), option);
        }
        Result embed = runCrl({"embed", "--help"});
        for (const char* option : {"--checkpoint", "--split", "--out"}) {
            QVERIFY2(embed.out.contains(option), option);
        }
        Result eval = runCrl({"eval", "--help"});
        for (const char* option : {"--checkpoint", "--max-samples", "--device", "--out"}) {
            QVERIFY2(eval.out.contains(option), option);
        }
    }

    void validateAcceptsTheDefaultProject() {
        Result result = runCrl({"validate", kDefaultProject});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("valid"));
    }

    void validateNamesTheNodeAndField() {
        QTemporaryDir dir;
        std::ifstream in((kDefaultProject + "/simclr-fashion-mnist.crl.json").toStdString());
        nlohmann::json project = nlohmann::json::parse(in);
        project["graph"]["nodes"][4]["params"]["temperature"] = -1.0;
        Result result = runCrl({"validate", writeProject(dir, project.dump())});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("node 'loss'") && result.err.contains("temperature") &&
                     result.err.contains("-1"),
                 qPrintable(result.err));
    }

    void futureVersionIsRefused() {
        QTemporaryDir dir;
        std::ifstream in((kDefaultProject + "/simclr-fashion-mnist.crl.json").toStdString());
        nlohmann::json project = nlohmann::json::parse(in);
        project["version"] = 99;
        Result result = runCrl({"validate", writeProject(dir, project.dump())});
        QVERIFY(result.exitCode != 0);
        QVERIFY2(result.err.contains("newer"), qPrintable(result.err));
    }

    void trainThenEmbed() {
        QTemporaryDir dir;
        Result train = runCrl({"train", kDefaultProject, "--epochs", "1", "--max-samples", "600",
                               "--batch-size", "100", "--device", "cpu", "--out",
                               dir.filePath("run"), "--quiet"});
        QVERIFY2(train.exitCode == 0, qPrintable(train.err));
        QVERIFY(train.out.contains("knn_top1"));
        QVERIFY(QFile::exists(dir.filePath("run/metrics.jsonl")));
        QVERIFY(QFile::exists(dir.filePath("run/summary.json")));

        Result embed = runCrl({"embed", kDefaultProject, "--checkpoint",
                               dir.filePath("run/checkpoints/last.pt"), "--split", "test", "--out",
                               dir.filePath("test.npy")});
        QVERIFY2(embed.exitCode == 0, qPrintable(embed.err));
        at::Tensor features = crl::io::readNpy(dir.filePath("test.npy").toStdString());
        at::Tensor labels = crl::io::readNpy(dir.filePath("test.labels.npy").toStdString());
        QCOMPARE(features.scalar_type(), at::kFloat);
        QCOMPARE(features.sizes().vec(), std::vector<std::int64_t>({10000, 128}));
        QCOMPARE(labels.sizes().vec(), std::vector<std::int64_t>({10000}));
        QVERIFY(features.isfinite().all().item<bool>());

        Result eval = runCrl({"eval", kDefaultProject, "--checkpoint",
                              dir.filePath("run/checkpoints/last.pt"), "--max-samples", "2000"});
        QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
        QVERIFY2(eval.out.contains("knn_top1") && eval.out.contains("linear_probe_top1"),
                 qPrintable(eval.out));
        std::ifstream reportFile(dir.filePath("run/eval.json").toStdString());
        QVERIFY(reportFile.good());
        nlohmann::json report = nlohmann::json::parse(reportFile);
        // One epoch on 600 samples is far from trained, yet well above chance (0.1).
        QVERIFY(report["knn"]["top1"].get<double>() > 0.3);
        QVERIFY(report["linear_probe"]["top1"].get<double>() > 0.3);
        QCOMPARE(report["linear_probe"]["per_class_accuracy"].size(), std::size_t(10));
        QCOMPARE(report["class_names"].size(), std::size_t(10));
        QCOMPARE(report["class_names"][0].get<std::string>(), std::string("T-shirt/top"));
        QCOMPARE(report["linear_probe"]["confusion"].size(), std::size_t(10));
    }

    void missingCheckpointIsAClearError() {
        Result result = runCrl({"embed", kDefaultProject, "--checkpoint", "/nonexistent/last.pt",
                                "--out", "/tmp/x.npy"});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("/nonexistent/last.pt"), qPrintable(result.err));

        Result eval = runCrl({"eval", kDefaultProject, "--checkpoint", "/nonexistent/last.pt"});
        QCOMPARE(eval.exitCode, 1);
        QVERIFY2(eval.err.contains("/nonexistent/last.pt") && eval.err.contains("does not exist"),
                 qPrintable(eval.err));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "CliTest.moc"
