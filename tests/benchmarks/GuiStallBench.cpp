// crl_bench_gui_stall [SAMPLES]: how long the GUI thread's event loop stalls while the workbench
// trains. Opens the whole main window (editor, run panel, live curves, log) on a copy of the
// default project limited to SAMPLES training images (default 10240) for one epoch, starts the
// run, and ticks a 5 ms precise timer on the GUI thread until the run ends. A tick's stall is how
// much later than due it fired. Prints p50, p99 and the longest stall as a markdown row; the goal
// is p99 <= 16 ms (one frame at 60 Hz). Run under QT_QPA_PLATFORM=offscreen or a display.

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "app/workbench/MainWindow.h"
#include "app/workbench/RunController.h"
#include "app/workbench/RunWorkspace.h"
#include "io/ProjectFile.h"

namespace {

constexpr int kTickMs = 5;

double percentile(std::vector<double> values, double fraction) {
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
    return values[index];
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const long samples = argc > 1 ? std::atol(argv[1]) : 10240;
    if (samples < 256) {
        std::fprintf(stderr, "crl_bench_gui_stall: SAMPLES must be at least 256, not %ld\n",
                     samples);
        return 2;
    }

    QTemporaryDir folder;
    crl::io::Project project = crl::io::loadProject(CRL_DEFAULT_PROJECT);
    project.run.epochs = 1;
    project.run.maxSamples = samples;
    project.run.device = "cpu";
    const std::filesystem::path file = folder.filePath("stall.crl.json").toStdString();
    crl::io::saveProject(project, file);

    crl::app::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    if (!window.openProject(file)) {
        std::fprintf(stderr, "crl_bench_gui_stall: cannot open %s\n", file.c_str());
        return 1;
    }
    crl::app::RunController* controller = window.runWorkspace()->controller();

    std::vector<double> stalls;
    QElapsedTimer clock;
    qint64 due = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kTickMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        stalls.push_back(std::max<qint64>(0, now - due) / 1e6);
        due = now + kTickMs * 1000000LL;
    });
    // The run ends: finished or failed, the controller goes idle.
    QTimer watch;
    watch.setInterval(100);
    bool started = false;
    QObject::connect(&watch, &QTimer::timeout, [&] {
        if (controller->isActive())
            started = true;
        else if (started)
            app.quit();
    });

    window.runWorkspace()->startRun();
    clock.start();
    due = kTickMs * 1000000LL;
    probe.start();
    watch.start();
    app.exec();

    // A row of run-benchmarks.sh's table: benchmark | CRL Workbench | peer | ratio.
    std::printf(
        "| GUI event-loop stall while training (%ld images, %zu ticks of %d ms) | p50 %.1f ms, p99 "
        "%.1f ms, max %.1f ms | - (goal p99 <= 16 ms) | - |\n",
        samples, stalls.size(), kTickMs, percentile(stalls, 0.5), percentile(stalls, 0.99),
        percentile(stalls, 1.0));
    return stalls.size() > 10 ? 0 : 1;
}
