#include "roomblobs.h"

#include "logging.h"
#include "protocollimits.h"
#include "store.h"

using namespace Qt::StringLiterals;

namespace inkroom::server {

using proto::BlobStatus;
using proto::ErrorCode;

namespace {

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}

} // namespace

RoomBlobs::RoomBlobs(Store &store, const ServerConfig &config)
    : m_store(store)
    , m_config(config)
{ }

bool RoomBlobs::load(qint64 room, QString *error)
{
    m_room = room;
    Store::BlobCounts counts;
    if (!m_store.blobCounts(room, &counts)) {
        *error = m_store.lastError();
        return false;
    }
    m_stored = counts.stored;
    m_storedBytes = 0;
    for (const qint64 size : std::as_const(m_stored))
        m_storedBytes += size;
    for (auto it = counts.partial.cbegin(); it != counts.partial.cend(); ++it)
        m_uploads.insert(it.key(), Upload {it.value().first, std::min(it.value().second, it.value().first)});
    return true;
}

qint64 RoomBlobs::usedBytes() const
{
    qint64 used = m_storedBytes;
    for (const Upload &upload : m_uploads)
        used += upload.size;
    return used;
}

BlobStatus RoomBlobs::status(const QString &hash, qint64 size, qint64 have) const
{
    BlobStatus answer;
    answer.hash = hash;
    answer.size = size;
    answer.have = have;
    return answer;
}

BlobStatus RoomBlobs::refusal(const QString &hash, qint64 size, ErrorCode code, const QString &message,
                              bool retry) const
{
    BlobStatus answer = status(hash, size, 0);
    if (const auto upload = m_uploads.constFind(hash); upload != m_uploads.cend() && upload->size == size)
        answer.have = upload->have;
    answer.code = code;
    answer.message = message;
    answer.retry = retry;
    return answer;
}

bool RoomBlobs::isActive(const QString &hash) const
{
    return std::any_of(m_active.cbegin(), m_active.cend(),
                       [&hash](const QSet<QString> &set) { return set.contains(hash); });
}

bool RoomBlobs::reclaim(qint64 need)
{
    for (auto it = m_uploads.begin(); it != m_uploads.end() && usedBytes() + need > maxBytes();) {
        if (isActive(it.key()) || !m_store.dropBlobParts(m_room, it.key())) {
            ++it;
            continue;
        }
        qCInfo(lcRoom).noquote() << "dropped an unfinished image upload to make room:" << it.key();
        it = m_uploads.erase(it);
    }
    return usedBytes() + need <= maxBytes();
}

std::optional<BlobStatus> RoomBlobs::admit(quint64 uploader, const QString &hash, qint64 size)
{
    if (size > limits::MaxBlobBytes) {
        return refusal(
            hash, size, ErrorCode::BlobTooLarge,
            u"the image is %1 MB; at most %2 MB are allowed"_s.arg(megabytes(size), megabytes(limits::MaxBlobBytes)));
    }
    const auto upload = m_uploads.constFind(hash);
    const bool known = upload != m_uploads.cend() && upload->size == size;
    if (!known) {
        const qint64 need = size - (upload != m_uploads.cend() ? upload->size : 0);
        if (usedBytes() + need > maxBytes() && !reclaim(need)) {
            return refusal(
                hash, size, ErrorCode::RoomImagesFull,
                u"the room holds %1 MB of images, and this server allows %2 MB a room (images stay with "
                "the room when they are taken off the board)"_s.arg(megabytes(usedBytes()), megabytes(maxBytes())));
        }
    }
    QSet<QString> &mine = m_active[uploader];
    if (!mine.contains(hash) && mine.size() >= m_config.maxUploadsPerConnection) {
        return refusal(hash, size, ErrorCode::ServerBusy,
                       u"you are uploading %1 images already; finish one first"_s.arg(mine.size()), true);
    }
    if (!known) {
        if (upload != m_uploads.cend()) // another size under this hash: at most one of the two is true
            m_store.dropBlobParts(m_room, hash);
        m_uploads.insert(hash, Upload {size, 0});
    }
    mine.insert(hash);
    return std::nullopt;
}

BlobStatus RoomBlobs::offer(quint64 uploader, const proto::BlobOffer &offer)
{
    if (const auto stored = m_stored.constFind(offer.hash); stored != m_stored.cend())
        return status(offer.hash, *stored, *stored); // dedupe: nothing to upload
    if (auto refused = admit(uploader, offer.hash, offer.size))
        return *refused;
    return status(offer.hash, offer.size, m_uploads.value(offer.hash).have);
}

BlobStatus RoomBlobs::put(quint64 uploader, const proto::BlobPut &put, qint64 nowMs)
{
    if (const auto stored = m_stored.constFind(put.hash); stored != m_stored.cend())
        return status(put.hash, *stored, *stored);
    if (auto refused = admit(uploader, put.hash, put.size))
        return *refused;
    Upload &upload = m_uploads[put.hash];
    if (put.offset != upload.have)
        return status(put.hash, upload.size, upload.have); // not where the upload stands: the sender goes on from have
    const double rate = std::max(1, m_config.imageUploadKibPerSecond);
    auto bucket = m_rates.find(uploader);
    if (bucket == m_rates.end())
        bucket = m_rates.insert(uploader, TokenBucket(rate, rate + 1024));
    if (!bucket->tryTake(nowMs, double(put.data.size()) / 1024.0)) {
        return refusal(put.hash, put.size, ErrorCode::RateLimited,
                       u"images may be uploaded at %1 KiB a second; send this part again in a moment"_s.arg(
                           m_config.imageUploadKibPerSecond),
                       true);
    }
    if (!m_store.putBlobPart(m_room, put.hash, put.size, put.offset, put.data)) {
        return refusal(put.hash, put.size, ErrorCode::Internal, u"the server could not store the image"_s, true);
    }
    upload.have += put.data.size();
    if (upload.have < upload.size)
        return status(put.hash, upload.size, upload.have);

    // Whole: check it and keep it, or drop it.
    const qint64 size = upload.size;
    QString why;
    const bool written = m_store.finishBlob(m_room, put.hash, size, &why);
    for (QSet<QString> &set : m_active)
        set.remove(put.hash);
    if (!written) {
        upload.have = 0;
        m_store.dropBlobParts(m_room, put.hash);
        return refusal(put.hash, size, ErrorCode::Internal, u"the server could not store the image"_s, true);
    }
    m_uploads.remove(put.hash);
    if (!why.isEmpty()) {
        qCInfo(lcRoom).noquote() << "refused an uploaded image:" << why;
        return refusal(put.hash, size, ErrorCode::BadBlob, u"the upload is not a usable image: %1"_s.arg(why));
    }
    m_stored.insert(put.hash, size);
    m_storedBytes += size;
    return status(put.hash, size, size);
}

std::variant<proto::BlobData, BlobStatus> RoomBlobs::get(const proto::BlobGet &get)
{
    const auto stored = m_stored.constFind(get.hash);
    if (stored == m_stored.cend()) {
        return refusal(get.hash, 0, ErrorCode::BlobMissing, u"this room has no image %1"_s.arg(get.hash.left(12)));
    }
    if (get.offset >= *stored) {
        BlobStatus answer =
            refusal(get.hash, *stored, ErrorCode::OutOfRange,
                    u"the image has %1 bytes; offset %2 is past its end"_s.arg(*stored).arg(get.offset));
        answer.have = *stored;
        return answer;
    }
    bool ok = true;
    const auto chunk = m_store.blobChunk(m_room, get.hash, get.offset, limits::MaxBlobChunkBytes, &ok);
    if (!chunk || chunk->isEmpty()) {
        BlobStatus answer =
            refusal(get.hash, *stored, ErrorCode::Internal, u"the server could not read the image"_s, true);
        answer.have = *stored;
        return answer;
    }
    return proto::BlobData {get.hash, *stored, get.offset, *chunk};
}

void RoomBlobs::forget(quint64 uploader)
{
    m_active.remove(uploader);
    m_rates.remove(uploader);
}

} // namespace inkroom::server
