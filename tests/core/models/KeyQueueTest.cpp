// MoCo's key queue (models/KeyQueue.h) as a ring buffer: batches of 5, 7 and 3 keys into a queue
// of 8 slots leave exactly the newest eight keys, the batch of 7 split over the end of the buffer
// and its start; a batch longer than the queue or of another width is refused; and the queue
// survives a save and load with its write position, so that the next batch lands where it would
// have.

#include <QtTest>

#include <sstream>

#include <ATen/ATen.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "common/Error.h"
#include "models/KeyQueue.h"

using namespace crl;
using namespace crl::models;

namespace {

// Keys (n, 2) whose rows are (id, -id) for ids first, first + 1, ...
at::Tensor keysWithIds(std::int64_t first, std::int64_t n) {
    at::Tensor ids = at::arange(first, first + n, at::kFloat);
    return at::stack({ids, -ids}, 1);
}

std::vector<std::int64_t> idsOf(const at::Tensor& keys) {
    std::vector<std::int64_t> ids;
    for (std::int64_t i = 0; i < keys.size(0); ++i) {
        ids.push_back(keys[i][0].item<std::int64_t>());
        if (keys[i][1].item<float>() != -keys[i][0].item<float>()) {
            return {};  // a row was torn apart
        }
    }
    return ids;
}

using Ids = std::vector<std::int64_t>;

}  // namespace

class KeyQueueTest : public QObject {
    Q_OBJECT

private slots:
    void ringBufferKeepsTheNewestKeys() {
        KeyQueue queue(KeyQueueOptions(8, 2));
        QCOMPARE(queue->negatives().size(0), 0);

        queue->enqueue(keysWithIds(1, 5));
        QCOMPARE(idsOf(queue->negatives()), Ids({1, 2, 3, 4, 5}));
        QCOMPARE(idsOf(queue->oldestFirst()), Ids({1, 2, 3, 4, 5}));

        // Seven keys with three slots left before the end: 6-8 fill them, 9-12 wrap to the start.
        queue->enqueue(keysWithIds(6, 7));
        QCOMPARE(idsOf(queue->negatives()), Ids({9, 10, 11, 12, 5, 6, 7, 8}));
        QCOMPARE(idsOf(queue->oldestFirst()), Ids({5, 6, 7, 8, 9, 10, 11, 12}));
        QCOMPARE(queue->count(), 8);

        queue->enqueue(keysWithIds(13, 3));
        QCOMPARE(idsOf(queue->negatives()), Ids({9, 10, 11, 12, 13, 14, 15, 8}));
        QCOMPARE(idsOf(queue->oldestFirst()), Ids({8, 9, 10, 11, 12, 13, 14, 15}));
    }

    void aBatchFillingTheQueueExactlyWrapsToSlotZero() {
        KeyQueue queue(KeyQueueOptions(4, 2));
        queue->enqueue(keysWithIds(1, 4));
        queue->enqueue(keysWithIds(5, 1));
        QCOMPARE(idsOf(queue->negatives()), Ids({5, 2, 3, 4}));
    }

    void keysEnterWithoutGradient() {
        KeyQueue queue(KeyQueueOptions(4, 2));
        at::Tensor keys = keysWithIds(1, 2).requires_grad_();
        queue->enqueue(keys * 2);
        QVERIFY(!queue->negatives().requires_grad());
    }

    void impossibleBatchesAreRefused() {
        KeyQueue queue(KeyQueueOptions(8, 2));
        try {
            queue->enqueue(keysWithIds(1, 9));
            QFAIL("a batch of 9 keys must not fit a queue of 8");
        } catch (const UserError& e) {
            QVERIFY2(QString(e.what()).contains("9 keys") && QString(e.what()).contains("8"),
                     e.what());
        }
        try {
            queue->enqueue(at::zeros({2, 3}));
            QFAIL("keys of width 3 must not enter a queue of width 2");
        } catch (const UserError& e) {
            QVERIFY2(QString(e.what()).contains("width 2"), e.what());
        }
        QCOMPARE(queue->count(), 0);
    }

    void saveAndLoadKeepTheWritePosition() {
        KeyQueue queue(KeyQueueOptions(8, 2));
        queue->enqueue(keysWithIds(1, 5));
        queue->enqueue(keysWithIds(6, 7));
        std::stringstream stream;
        torch::serialize::OutputArchive out;
        queue->save(out);
        out.save_to(stream);

        KeyQueue restored(KeyQueueOptions(8, 2));
        torch::serialize::InputArchive in;
        in.load_from(stream);
        restored->load(in);
        QCOMPARE(idsOf(restored->negatives()), Ids({9, 10, 11, 12, 5, 6, 7, 8}));

        restored->enqueue(keysWithIds(13, 3));
        QCOMPARE(idsOf(restored->negatives()), Ids({9, 10, 11, 12, 13, 14, 15, 8}));
    }
};

QTEST_GUILESS_MAIN(KeyQueueTest)
#include "KeyQueueTest.moc"
