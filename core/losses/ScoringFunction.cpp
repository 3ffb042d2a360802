#include "losses/ScoringFunction.h"

#include <sstream>

#include "common/Error.h"
#include "losses/CosineScore.h"
#include "losses/DotScore.h"
#include "losses/NegativeL1Score.h"
#include "losses/NegativeL2Score.h"

namespace crl::losses {

namespace {

constexpr ScoringFunction kKinds[] = {ScoringFunction::Dot, ScoringFunction::Cosine,
                                      ScoringFunction::NegativeL1, ScoringFunction::NegativeL2};

}  // namespace

Score makeScore(ScoringFunction kind) {
    switch (kind) {
        case ScoringFunction::Dot:
            return dotScores;
        case ScoringFunction::Cosine:
            // cosineScores predates this interface; the width check is added here.
            return [](const at::Tensor& queries, const at::Tensor& keys) {
                requireScoreInputs("cosine", queries, keys);
                return cosineScores(queries, keys);
            };
        case ScoringFunction::NegativeL1:
            return negativeL1Scores;
        case ScoringFunction::NegativeL2:
            return negativeL2Scores;
    }
    throw std::logic_error("unknown ScoringFunction");
}

Score makeScore(const std::string& name) {
    for (ScoringFunction kind : kKinds) {
        if (scoringFunctionName(kind) == name) {
            return makeScore(kind);
        }
    }
    if (name == "bilinear") {
        throw UserError(
            "the bilinear score has a learned matrix; create a BilinearScore module and pass its "
            "forward as the score");
    }
    throw UserError("unknown scoring function \"" + name +
                    "\"; use dot, cosine, negative_l1 or negative_l2");
}

std::string scoringFunctionName(ScoringFunction kind) {
    switch (kind) {
        case ScoringFunction::Dot:
            return "dot";
        case ScoringFunction::Cosine:
            return "cosine";
        case ScoringFunction::NegativeL1:
            return "negative_l1";
        case ScoringFunction::NegativeL2:
            return "negative_l2";
    }
    throw std::logic_error("unknown ScoringFunction");
}

std::vector<std::string> scoringFunctionNames() {
    std::vector<std::string> names;
    for (ScoringFunction kind : kKinds) {
        names.push_back(scoringFunctionName(kind));
    }
    return names;
}

void requireScoreInputs(const std::string& score, const at::Tensor& queries,
                        const at::Tensor& keys) {
    if (queries.dim() != 2 || keys.dim() != 2 || queries.size(1) != keys.size(1)) {
        std::ostringstream shapes;
        shapes << queries.sizes() << " and " << keys.sizes();
        throw UserError(score +
                        " score expects queries (Nq, d) and keys (Nk, d) of equal width; got " +
                        shapes.str() + ". Give both branches the same embedding width.");
    }
}

}  // namespace crl::losses
