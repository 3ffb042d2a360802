// Tests for the batch prefetcher: coverage of every epoch, the short and the dropped last batch,
// and that a batch depends on (seed, step) alone, so a resumed run sees the same batches.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include <ATen/ATen.h>
#include <QTest>

#include "common/Error.h"
#include "data/BatchPrefetcher.h"

using namespace crl::data;

namespace {

/// N samples whose pixels and label encode their own position: images (N, 1, 2, 2) filled
/// with i % 256, labels i.
ImageDataset numberedDataset(std::int64_t samples) {
    ImageDataset dataset;
    const at::Tensor positions = at::arange(samples, at::kLong);
    dataset.images = (positions % 256)
                         .to(at::kByte)
                         .view({samples, 1, 1, 1})
                         .expand({samples, 1, 2, 2})
                         .contiguous();
    dataset.labels = positions;
    dataset.origin = "numbered";
    return dataset;
}

std::vector<Batch> drain(BatchPrefetcher& prefetcher) {
    std::vector<Batch> batches;
    while (std::optional<Batch> batch = prefetcher.next()) {
        batches.push_back(std::move(*batch));
    }
    return batches;
}

std::vector<std::int64_t> toVector(const at::Tensor& tensor) {
    const at::Tensor flat = tensor.to(at::kLong).contiguous();
    return {flat.data_ptr<std::int64_t>(), flat.data_ptr<std::int64_t>() + flat.numel()};
}

}  // namespace

class BatchPrefetcherTest : public QObject {
    Q_OBJECT

private slots:
    void stepsPerEpochDropsOnlyABatchOfOne_data() {
        QTest::addColumn<qint64>("samples");
        QTest::addColumn<qint64>("batchSize");
        QTest::addColumn<qint64>("steps");
        QTest::newRow("exact") << qint64{8} << qint64{4} << qint64{2};
        QTest::newRow("short last batch of two kept") << qint64{10} << qint64{4} << qint64{3};
        QTest::newRow("last batch of one dropped") << qint64{9} << qint64{4} << qint64{2};
        QTest::newRow("batch larger than the data") << qint64{5} << qint64{10} << qint64{1};
        QTest::newRow("one sample") << qint64{1} << qint64{4} << qint64{0};
        QTest::newRow("empty") << qint64{0} << qint64{4} << qint64{0};
    }
    void stepsPerEpochDropsOnlyABatchOfOne() {
        QFETCH(qint64, samples);
        QFETCH(qint64, batchSize);
        QFETCH(qint64, steps);

        QCOMPARE(BatchPrefetcher::stepsPerEpoch(samples, batchSize), steps);
    }

    void everySampleOncePerEpochAndShortLastBatchKept() {
        BatchPrefetcher prefetcher(numberedDataset(10), /*batchSize=*/4, /*seed=*/7,
                                   /*epochs=*/3, /*firstStep=*/0, at::kCPU);

        const std::vector<Batch> batches = drain(prefetcher);

        QCOMPARE(prefetcher.stepsPerEpoch(), 3);
        QCOMPARE(batches.size(), std::size_t{9});
        for (std::int64_t epoch = 0; epoch < 3; ++epoch) {
            std::vector<std::int64_t> seen;
            for (std::int64_t b = 0; b < 3; ++b) {
                const Batch& batch = batches[epoch * 3 + b];
                QCOMPARE(batch.step, epoch * 3 + b);
                QCOMPARE(batch.epoch, epoch);
                QCOMPARE(batch.images.size(0), b < 2 ? 4 : 2);
                QCOMPARE(batch.images.sizes().slice(1).vec(), (std::vector<std::int64_t>{1, 2, 2}));
                QCOMPARE(batch.images.scalar_type(), at::kByte);
                QCOMPARE(batch.labels.scalar_type(), at::kLong);
                // The gathered rows are the ones the indices name.
                QCOMPARE(toVector(batch.labels), toVector(batch.indices));
                QCOMPARE(toVector(batch.images.select(1, 0).select(1, 1).select(1, 0)),
                         toVector(batch.indices));
                const std::vector<std::int64_t> indices = toVector(batch.indices);
                seen.insert(seen.end(), indices.begin(), indices.end());
            }
            std::sort(seen.begin(), seen.end());
            QCOMPARE(seen, toVector(at::arange(10, at::kLong)));
        }
    }

    void batchOfOneIsDropped() {
        BatchPrefetcher prefetcher(numberedDataset(9), /*batchSize=*/4, /*seed=*/3, /*epochs=*/2,
                                   /*firstStep=*/0, at::kCPU);

        const std::vector<Batch> batches = drain(prefetcher);

        QCOMPARE(batches.size(), std::size_t{4});
        for (const Batch& batch : batches) {
            QCOMPARE(batch.images.size(0), 4);
        }
        // Each epoch still draws 8 distinct samples.
        for (std::size_t epoch = 0; epoch < 2; ++epoch) {
            std::vector<std::int64_t> seen = toVector(batches[2 * epoch].indices);
            const std::vector<std::int64_t> more = toVector(batches[2 * epoch + 1].indices);
            seen.insert(seen.end(), more.begin(), more.end());
            std::sort(seen.begin(), seen.end());
            QVERIFY(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
        }
    }

    void resumedRunSeesTheSameBatches() {
        const ImageDataset dataset = numberedDataset(50);
        BatchPrefetcher full(dataset, /*batchSize=*/8, /*seed=*/11, /*epochs=*/3,
                             /*firstStep=*/0, at::kCPU, /*depth=*/1);
        const std::vector<Batch> expected = drain(full);

        // Resumed in the middle of the second epoch, with a deeper queue.
        BatchPrefetcher resumed(dataset, 8, 11, 3, /*firstStep=*/9, at::kCPU, /*depth=*/6);
        const std::vector<Batch> actual = drain(resumed);

        QCOMPARE(expected.size(), std::size_t{21});
        QCOMPARE(actual.size(), expected.size() - 9);
        for (std::size_t i = 0; i < actual.size(); ++i) {
            QCOMPARE(actual[i].step, expected[i + 9].step);
            QVERIFY(at::equal(actual[i].indices, expected[i + 9].indices));
            QVERIFY(at::equal(actual[i].images, expected[i + 9].images));
        }
    }

    void seedsAndEpochsShuffleDifferently() {
        const ImageDataset dataset = numberedDataset(100);
        BatchPrefetcher first(dataset, 100, /*seed=*/1, /*epochs=*/2, 0, at::kCPU);
        BatchPrefetcher second(dataset, 100, /*seed=*/2, /*epochs=*/2, 0, at::kCPU);

        const std::vector<Batch> a = drain(first);
        const std::vector<Batch> b = drain(second);

        QVERIFY(!at::equal(a[0].indices, b[0].indices));
        QVERIFY(!at::equal(a[0].indices, a[1].indices));
        QVERIFY(!at::equal(a[0].indices, at::arange(100, at::kLong)));
    }

    void stopsCleanlyWhenDestroyedEarly() {
        auto prefetcher = std::make_unique<BatchPrefetcher>(numberedDataset(64), 4, 5,
                                                            /*epochs=*/1000, 0, at::kCPU, 2);
        QVERIFY(prefetcher->next().has_value());

        prefetcher.reset();  // must join the worker, which is blocked on a full queue
    }

    void nothingAfterTheLastStep() {
        BatchPrefetcher prefetcher(numberedDataset(10), 5, 1, /*epochs=*/1, /*firstStep=*/2,
                                   at::kCPU);

        QVERIFY(!prefetcher.next().has_value());
        QVERIFY(!prefetcher.next().has_value());
    }

    void workerErrorsReachNext() {
        // Labels shorter than the images: gathering a missing label fails on the worker.
        ImageDataset broken = numberedDataset(10);
        broken.labels = broken.labels.narrow(0, 0, 1);
        BatchPrefetcher prefetcher(broken, 10, 1, 1, 0, at::kCPU);

        QVERIFY_THROWS_EXCEPTION(c10::Error, prefetcher.next());
    }

    void cudaBatchesMatchCpuBatches() {
        if (!at::hasCUDA()) {
            QSKIP("this LibTorch has no CUDA device");
        }
        const ImageDataset dataset = numberedDataset(30);
        BatchPrefetcher onCpu(dataset, 8, 4, 2, 0, at::kCPU);
        BatchPrefetcher onCuda(dataset, 8, 4, 2, 0, c10::Device(at::kCUDA, 0));

        const std::vector<Batch> expected = drain(onCpu);
        const std::vector<Batch> actual = drain(onCuda);

        QCOMPARE(actual.size(), expected.size());
        for (std::size_t i = 0; i < actual.size(); ++i) {
            QVERIFY(actual[i].images.is_cuda());
            QVERIFY(actual[i].labels.is_cuda());
            QVERIFY(at::equal(actual[i].images.cpu(), expected[i].images));
            QVERIFY(at::equal(actual[i].labels.cpu(), expected[i].labels));
        }
    }

    void impossibleSettingsAreUserErrors() {
        QVERIFY_THROWS_EXCEPTION(crl::UserError,
                                 BatchPrefetcher(numberedDataset(10), 1, 1, 1, 0, at::kCPU));
        QVERIFY_THROWS_EXCEPTION(crl::UserError,
                                 BatchPrefetcher(numberedDataset(1), 4, 1, 1, 0, at::kCPU));
    }
};

QTEST_GUILESS_MAIN(BatchPrefetcherTest)
#include "BatchPrefetcherTest.moc"
