#include "imagetransfer.h"

#include "imagedecode.h"
#include "imagelibrary.h"
#include "protocollimits.h"

#include <QPointer>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace inkroom::client {

ImageTransfer::ImageTransfer(QObject *parent)
    : QObject(parent)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        pumpUpload();
        pumpFetch();
    });
}

ImageTransfer::~ImageTransfer() = default;

void ImageTransfer::setDirectory(const QString &stateDirectory)
{
    ++m_generation;
    m_files = ImageFiles(stateDirectory);
    m_uploads.clear();
    m_fetches.clear();
    m_uploadBytes.clear();
    m_uploadInFlight = false;
    m_fetchInFlight = false;
    m_decoding.clear();
    m_failed.clear();
    m_onServer.clear();
    Q_EMIT busyChanged();
}

void ImageTransfer::linkUp()
{
    m_linkUp = true;
    m_uploadInFlight = false;
    m_fetchInFlight = false;
    pumpUpload();
    pumpFetch();
}

void ImageTransfer::linkDown()
{
    m_linkUp = false;
    m_uploadInFlight = false;
    m_fetchInFlight = false;
    m_retry.stop();
}

void ImageTransfer::reset()
{
    m_onServer.clear();
}

void ImageTransfer::seenOnServer(const QString &hash)
{
    m_onServer.insert(hash);
}

void ImageTransfer::dispatch(const proto::Message &message)
{
    if (const auto *status = std::get_if<proto::BlobStatus>(&message))
        onStatus(*status);
    else if (const auto *data = std::get_if<proto::BlobData>(&message))
        onData(*data);
}

// ---- uploads ----

void ImageTransfer::upload(const QString &hash, qint64 size)
{
    if (std::any_of(m_uploads.cbegin(), m_uploads.cend(), [&hash](const Upload &u) { return u.hash == hash; }))
        return;
    m_uploads.append(Upload {hash, size});
    Q_EMIT busyChanged();
    pumpUpload();
}

void ImageTransfer::pumpUpload()
{
    if (!m_linkUp || m_uploadInFlight || m_uploads.isEmpty() || m_retry.isActive() || !m_send)
        return;
    const Upload &next = m_uploads.first();
    m_uploadInFlight = true;
    m_send(proto::BlobOffer {next.hash, next.size});
}

void ImageTransfer::sendChunk(const QString &hash, qint64 offset)
{
    if (m_uploadBytes.isEmpty()) {
        const auto bytes = m_files.read(hash);
        if (!bytes) {
            const Upload lost = m_uploads.takeFirst();
            Q_EMIT busyChanged();
            Q_EMIT uploadRefused(lost.hash, proto::ErrorCode::BlobMissing,
                                 tr("the picture's bytes are no longer on this computer"));
            pumpUpload();
            return;
        }
        m_uploadBytes = *bytes;
    }
    m_uploadInFlight = true;
    m_send(proto::BlobPut {hash, m_uploadBytes.size(), offset, m_uploadBytes.mid(offset, limits::MaxBlobChunkBytes)});
}

void ImageTransfer::onStatus(const proto::BlobStatus &status)
{
    if (m_uploadInFlight && !m_uploads.isEmpty() && m_uploads.first().hash == status.hash) {
        m_uploadInFlight = false;
        if (status.code) {
            if (status.retry) {
                retryLater();
                return;
            }
            const Upload refused = m_uploads.takeFirst();
            m_uploadBytes.clear();
            Q_EMIT busyChanged();
            Q_EMIT uploadRefused(refused.hash, *status.code, status.message);
            pumpUpload();
            return;
        }
        if (status.have >= status.size) {
            const Upload done = m_uploads.takeFirst();
            m_uploadBytes.clear();
            m_onServer.insert(done.hash);
            Q_EMIT busyChanged();
            Q_EMIT uploaded(done.hash);
            pumpUpload();
            return;
        }
        sendChunk(status.hash, status.have);
        return;
    }
    if (m_fetchInFlight && !m_fetches.isEmpty() && m_fetches.first().hash == status.hash && status.code) {
        m_fetchInFlight = false;
        if (status.retry) {
            retryLater();
            return;
        }
        const Fetch failed = m_fetches.takeFirst();
        m_failed.insert(failed.hash);
        Q_EMIT busyChanged();
        Q_EMIT pictureReady(failed.hash, status.message);
        pumpFetch();
    }
}

void ImageTransfer::retryLater()
{
    if (!m_retry.isActive())
        m_retry.start(m_retryMs);
}

// ---- fetches ----

void ImageTransfer::want(const QString &hash, qint64 size)
{
    if (render::ImageLibrary::instance().contains(hash) || m_decoding.contains(hash) || m_failed.contains(hash))
        return;
    if (std::any_of(m_fetches.cbegin(), m_fetches.cend(), [&hash](const Fetch &f) { return f.hash == hash; }))
        return;
    if (m_files.has(hash)) {
        decode(hash, {}, false, size); // read (and checked) on the worker
        return;
    }
    m_fetches.append(Fetch {hash, size, {}});
    Q_EMIT busyChanged();
    pumpFetch();
}

void ImageTransfer::pumpFetch()
{
    if (!m_linkUp || m_fetchInFlight || m_fetches.isEmpty() || m_retry.isActive() || !m_send)
        return;
    m_fetchInFlight = true;
    m_send(proto::BlobGet {m_fetches.first().hash, m_fetches.first().bytes.size()});
}

void ImageTransfer::onData(const proto::BlobData &data)
{
    if (!m_fetchInFlight || m_fetches.isEmpty() || m_fetches.first().hash != data.hash)
        return;
    m_fetchInFlight = false;
    Fetch &fetch = m_fetches.first();
    if (data.offset != fetch.bytes.size() || data.size > limits::MaxBlobBytes) {
        fetch.bytes.clear(); // out of step: start again
        pumpFetch();
        return;
    }
    fetch.bytes += data.data;
    if (fetch.bytes.size() < data.size) {
        pumpFetch();
        return;
    }
    // decode() counts the picture as busy before the fetch stops counting: busyCount() never passes through 0 here.
    const Fetch done = m_fetches.takeFirst();
    if (proto::blobHashOf(done.bytes) != done.hash) {
        m_failed.insert(done.hash);
        Q_EMIT busyChanged();
        Q_EMIT pictureReady(done.hash, tr("the picture the server sent is not the one the board names"));
    } else {
        decode(done.hash, done.bytes, true, done.size);
    }
    pumpFetch();
}

void ImageTransfer::decode(const QString &hash, const QByteArray &bytes, bool cache, qint64 size)
{
    m_decoding.insert(hash);
    Q_EMIT busyChanged();
    // Untrusted bytes: decoded (with limits) and written to the cache on a worker thread, never on the GUI thread.
    // A disk-backed ImageFiles only touches files: a copy reads and writes them on the worker. One in memory is read
    // here and written back on this thread.
    QPointer<ImageTransfer> self(this);
    const quint64 generation = m_generation;
    const bool onDisk = !m_files.directory().isEmpty();
    ImageFiles files = m_files;
    QByteArray input = bytes;
    if (input.isEmpty() && !onDisk)
        input = m_files.read(hash).value_or(QByteArray());
    QThreadPool::globalInstance()->start([self, generation, files, onDisk, hash, input, cache, size]() mutable {
        QByteArray data = input;
        if (data.isEmpty())
            data = files.read(hash).value_or(QByteArray());
        const render::DecodedImage decoded = data.isEmpty()
            ? render::DecodedImage {QImage(), tr("the picture is no longer on this computer"), QString()}
            : render::decodeImage(data);
        if (!decoded.image.isNull()) {
            render::ImageLibrary::instance().insert(hash, decoded.image);
            if (cache && onDisk)
                files.putCached(hash, data);
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, hash, data, onDisk, cache, size, error = decoded.error] {
                if (!self || self->m_generation != generation)
                    return;
                self->m_decoding.remove(hash);
                if (data.isEmpty()) {
                    // The file was gone or damaged (and is deleted now): fetch the picture from the room again.
                    self->want(hash, size);
                    Q_EMIT self->busyChanged();
                    return;
                }
                if (!error.isEmpty())
                    self->m_failed.insert(hash);
                else if (cache && !onDisk)
                    self->m_files.putCached(hash, data);
                Q_EMIT self->busyChanged();
                Q_EMIT self->pictureReady(hash, error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace inkroom::client
