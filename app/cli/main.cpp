// crl: train, validate and inspect contrastive pipelines from the command line. The same
// project files and the same core code as the workbench GUI.

#include <CLI/CLI.hpp>

#include "Commands.h"

int main(int argc, char** argv) {
    CLI::App app{
        "crl — CRL Workbench on the command line: train and inspect contrastive "
        "representation-learning pipelines (project files *.crl.json)."};
    app.set_version_flag("--version", std::string("crl ") + CRL_VERSION);
    app.require_subcommand(1);

    crl::cli::TrainArgs train;
    CLI::App* trainCmd = app.add_subcommand("train",
                                            "Train a project's pipeline; writes metrics.jsonl, "
                                            "summary.json and checkpoints to the run folder.");
    trainCmd->add_option("PROJECT", train.project, "project file (*.crl.json) or its folder")
        ->required();
    trainCmd
        ->add_option("--epochs", train.epochs,
                     "epochs to train (default: the project's run.epochs)")
        ->check(CLI::Range(1, 100000));
    trainCmd
        ->add_option(
            "--max-samples", train.maxSamples,
            "train on the first N training images only (0 = all; default: run.max_samples)")
        ->check(CLI::NonNegativeNumber);
    trainCmd->add_option("--device", train.device, "auto (CUDA when available), cpu or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    trainCmd->add_option("--seed", train.seed, "seed for initialisation, batch order and views")
        ->check(CLI::NonNegativeNumber);
    trainCmd
        ->add_option("--batch-size", train.batchSize, "samples per batch (default: run.batch_size)")
        ->check(CLI::Range(2, 1 << 20));
    trainCmd->add_option("--threads", train.threads, "intra-op CPU threads (default: all cores)")
        ->check(CLI::Range(1, 1024));
    trainCmd->add_option("--out", train.out, "run folder (default: runs/<project>-<date-time>)");
    trainCmd->add_option(
        "--resume", train.resume,
        "continue the run saved in this checkpoint, in its run folder unless --out "
        "is given (same --seed, --epochs, --batch-size and --max-samples)");
    trainCmd->add_flag("--quiet", train.quiet, "no progress line; only the final metrics");

    std::string validateProject;
    CLI::App* validateCmd = app.add_subcommand(
        "validate", "Check that a project compiles; exit 0 if it does, 1 with the reasons if not.");
    validateCmd->add_option("PROJECT", validateProject, "project file (*.crl.json) or its folder")
        ->required();

    crl::cli::EmbedArgs embed;
    CLI::App* embedCmd = app.add_subcommand(
        "embed",
        "Write the representations of a data split as NumPy .npy (float32, N x d), with the "
        "labels beside them (FILE.labels.npy, int64).");
    embedCmd->add_option("PROJECT", embed.project, "project file (*.crl.json) or its folder")
        ->required();
    embedCmd
        ->add_option("--checkpoint", embed.checkpoint,
                     "checkpoint to load (a run's checkpoints/last.pt)")
        ->required();
    embedCmd->add_option("--split", embed.split, "train or test (default: test)")
        ->check(CLI::IsMember({"train", "test"}));
    embedCmd
        ->add_option("--kind", embed.kind,
                     "representation (encoder output v, default) or embedding (head output z)")
        ->check(CLI::IsMember({"representation", "embedding"}));
    embedCmd->add_option("--device", embed.device, "auto, cpu or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    embedCmd->add_option("--out", embed.out, "output file, e.g. test.npy")->required();

    crl::cli::EvalArgs eval;
    CLI::App* evalCmd = app.add_subcommand(
        "eval",
        "Evaluate a checkpoint's representations v: kNN top-1 (the project's monitor.knn k and "
        "temperature, else 20 and 0.07) and a linear probe (standardised features, multinomial "
        "logistic regression, full-batch L-BFGS) with top-1, per-class accuracy and confusion "
        "matrix, written as JSON.");
    evalCmd->add_option("PROJECT", eval.project, "project file (*.crl.json) or its folder")
        ->required();
    evalCmd
        ->add_option("--checkpoint", eval.checkpoint,
                     "checkpoint to evaluate (a run's checkpoints/last.pt)")
        ->required();
    evalCmd->add_option("--max-samples", eval.maxSamples,
                        "use the first N train samples for kNN and the probe (default: all); "
                        "the test split is always whole");
    evalCmd->add_option("--device", eval.device, "auto, cpu or cuda (the probe runs on the cpu)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    evalCmd->add_option("--out", eval.out,
                        "JSON file to write (default: RUN/eval.json for RUN/checkpoints/FILE, "
                        "else eval.json beside the checkpoint)");

    bool nodesJson = false;
    CLI::App* nodesCmd = app.add_subcommand("nodes",
                                            "List the node catalogue: every node type with its "
                                            "ports, parameters and survey section.");
    nodesCmd->add_flag("--json", nodesJson, "machine-readable output");

    CLI11_PARSE(app, argc, argv);

    if (*trainCmd) {
        return crl::cli::runTrain(train);
    }
    if (*validateCmd) {
        return crl::cli::runValidate(validateProject);
    }
    if (*embedCmd) {
        return crl::cli::runEmbed(embed);
    }
    if (*evalCmd) {
        return crl::cli::runEval(eval);
    }
    if (*nodesCmd) {
        return crl::cli::runNodes(nodesJson);
    }
    return 0;
}
