// The images part of Session (docs/PROTOCOL.md, "Images"): pictures in, their uploads before the changes that show
// them, and the pictures of the board fetched and drawn.
#include "imagelibrary.h"
#include "outbox.h"
#include "roomfeed.h"
#include "session.h"

#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QMimeData>
#include <QPointer>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace inkroom::client {

using proto::Item;
using proto::ItemKind;
using proto::Op;
using proto::OpKind;

namespace {

//! A picture is put on the board at its pixel size, up to this many board units on its longer side.
constexpr double kMaxPlacedSide = 1000.0;
//! A file larger than this is not read at all (pictures are scaled down to 10 MB; this bounds what that reads).
constexpr qint64 kMaxSourceFileBytes = 200LL * 1024 * 1024;

bool showsImage(const Op &op)
{
    return (op.kind == OpKind::Add || op.kind == OpKind::Update) && op.item.kind == ItemKind::Image;
}

} // namespace

void Session::wireImages()
{
    m_images->setSender([this](const proto::Message &message) { m_connection->send(message); });
    connect(m_connection, &Connection::received, m_images, &ImageTransfer::dispatch);
    connect(m_connection, &Connection::lost, m_images, &ImageTransfer::linkDown);
    connect(m_feed, &RoomFeed::welcomed, m_images, &ImageTransfer::linkUp);
    // An image op goes only once the room has its picture; what waits behind it waits too (the order holds).
    m_outbox->setGate([this](const Op &op) { return !showsImage(op) || m_images->isOnServer(op.item.blob); });
    connect(m_images, &ImageTransfer::uploaded, m_outbox, &Outbox::poke);
    connect(m_images, &ImageTransfer::busyChanged, this, &Session::imageTransfersChanged);
    connect(m_images, &ImageTransfer::uploadRefused, this,
            [this](const QString &hash, proto::ErrorCode code, const QString &message) {
                // Every waiting change that shows the picture is refused with the server's words, none silently.
                QList<quint64> refused;
                for (const OutboxEntry &entry : m_outbox->entries()) {
                    if (showsImage(entry.op) && entry.op.item.blob == hash)
                        refused.append(entry.cseq);
                }
                for (const quint64 cseq : std::as_const(refused))
                    m_feed->refuseLocally(proto::Reject {cseq, code, tr("The picture was refused: %1").arg(message)});
                settleImages();
                m_outbox->poke();
            });
    connect(m_images, &ImageTransfer::pictureReady, this, [this](const QString &, const QString &error) {
        if (!error.isEmpty())
            Q_EMIT problem(tr("A picture on the board cannot be shown: %1").arg(error));
    });
    connect(m_feed, &RoomFeed::opApplied, this, [this](const Op &op, bool) {
        if (showsImage(op))
            noteImages({op.item}, true);
        else if (op.kind == OpKind::Rollback)
            noteImages(op.items, true);
    });
    connect(m_feed, &RoomFeed::snapshotApplied, this, [this] {
        QList<Item> images;
        for (const Item &item : m_board->confirmed().items()) {
            if (item.kind == ItemKind::Image)
                images.append(item);
        }
        noteImages(images, true);
    });
    connect(m_feed, &RoomFeed::synced, this, [this] {
        // Changes of this client that show a picture the room does not have and this computer no longer holds
        // cannot go: refuse them now rather than keep them waiting for ever.
        QList<quint64> lost;
        for (const OutboxEntry &entry : m_outbox->entries()) {
            if (showsImage(entry.op) && !m_images->isOnServer(entry.op.item.blob)
                && !m_images->files().hasPending(entry.op.item.blob))
                lost.append(entry.cseq);
        }
        for (const quint64 cseq : std::as_const(lost)) {
            m_feed->refuseLocally(proto::Reject {
                cseq, proto::ErrorCode::BlobMissing,
                tr("The picture is neither in the room nor on this computer any more, so it cannot be shown.")});
        }
        m_outbox->poke();
    });
    connect(m_feed, &RoomFeed::roomReset, this, [this] {
        m_images->reset();
        for (const OutboxEntry &entry : m_outbox->entries()) {
            if (showsImage(entry.op) && m_images->files().hasPending(entry.op.item.blob))
                m_images->upload(entry.op.item.blob, entry.op.item.bytes);
        }
    });
    connect(m_outbox, &Outbox::ready, this, [this] {
        // Pictures queued before a restart go up again before their changes (the server says how much it has).
        QList<Item> shown;
        for (const OutboxEntry &entry : m_outbox->entries()) {
            if (!showsImage(entry.op))
                continue;
            shown.append(entry.op.item);
            if (m_images->files().hasPending(entry.op.item.blob)) {
                m_pendingImages.insert(entry.op.item.blob);
                m_images->upload(entry.op.item.blob, entry.op.item.bytes);
            }
        }
        noteImages(shown, false);
    });
    connect(m_feed, &RoomFeed::acknowledged, this, &Session::settleImages);
    connect(m_feed, &RoomFeed::changeRejected, this, &Session::settleImages);
}

void Session::noteImages(const QList<Item> &items, bool confirmed)
{
    bool seen = false;
    for (const Item &item : items) {
        if (item.kind != ItemKind::Image)
            continue;
        if (confirmed && !m_images->isOnServer(item.blob)) {
            m_images->seenOnServer(item.blob);
            seen = true;
        }
        m_images->want(item.blob, item.bytes);
    }
    if (seen)
        m_outbox->poke();
}

void Session::settleImages()
{
    QSet<QString> needed;
    for (const OutboxEntry &entry : m_outbox->entries()) {
        if (showsImage(entry.op))
            needed.insert(entry.op.item.blob);
    }
    for (auto it = m_pendingImages.begin(); it != m_pendingImages.end();) {
        if (needed.contains(*it)) {
            ++it;
            continue;
        }
        m_images->files().settle(*it);
        it = m_pendingImages.erase(it);
    }
}

bool Session::carryPicture(const QString &hash, qint64 bytes)
{
    if (m_images->isOnServer(hash) || m_pendingImages.contains(hash))
        return true;
    const std::optional<QByteArray> data = m_images->files().read(hash);
    QString error;
    if (!data || data->size() != bytes || !m_images->files().putPending(hash, *data, &error))
        return false;
    m_pendingImages.insert(hash);
    m_images->upload(hash, bytes);
    return true;
}

QString Session::submitImage(const QString &hash, qint64 bytes, QSize pixels, const QPointF &at)
{
    Item item;
    item.kind = ItemKind::Image;
    item.blob = hash;
    item.bytes = bytes;
    QSizeF size(std::max(1, pixels.width()), std::max(1, pixels.height()));
    if (std::max(size.width(), size.height()) > kMaxPlacedSide)
        size.scale(kMaxPlacedSide, kMaxPlacedSide, Qt::KeepAspectRatio);
    const QPointF topLeft = at - QPointF(size.width() / 2, size.height() / 2);
    item.points = {topLeft, topLeft + QPointF(size.width(), size.height())};
    m_pendingImages.insert(hash);
    const QString id = addItem(item);
    if (id.isEmpty()) {
        settleImages();
        return {};
    }
    m_images->upload(hash, bytes);
    return id;
}

QString Session::addImageBytes(const QByteArray &fileBytes, const QPointF &at, QString *error)
{
    if (viewOnly()) {
        *error = viewOnlyReason();
        return {};
    }
    const render::PreparedImage prepared = render::prepareImageFile(fileBytes);
    if (!prepared.error.isEmpty()) {
        *error = prepared.error;
        return {};
    }
    if (!m_images->files().putPending(prepared.hash, prepared.bytes, error))
        return {};
    render::ImageLibrary::instance().insert(prepared.hash, prepared.image);
    const QString id = submitImage(prepared.hash, prepared.bytes.size(), prepared.image.size(), at);
    if (id.isEmpty())
        *error = tr("The picture could not be added to the board.");
    return id;
}

bool Session::prepareInBackground(std::function<render::PreparedImage()> prepare, const QPointF &at)
{
    if (m_roomName.isEmpty())
        return false;
    if (viewOnly()) {
        Q_EMIT problem(viewOnlyReason());
        return false;
    }
    QPointer<Session> self(this);
    const QString room = m_roomName;
    ImageFiles files = m_images->files(); // a copy: a disk-backed one only writes files, safe on the worker
    QThreadPool::globalInstance()->start([self, room, files, prepare = std::move(prepare), at]() mutable {
        render::PreparedImage prepared = prepare();
        QString error = prepared.error;
        const bool onDisk = !files.directory().isEmpty();
        if (error.isEmpty() && onDisk && !files.putPending(prepared.hash, prepared.bytes, &error))
            error = tr("The picture could not be kept on this computer: %1").arg(error);
        if (error.isEmpty())
            render::ImageLibrary::instance().insert(prepared.hash, prepared.image);
        QMetaObject::invokeMethod(
            self.data(),
            [self, room, prepared = std::move(prepared), error, onDisk, at] {
                if (!self || self->m_roomName != room)
                    return;
                if (!error.isEmpty()) {
                    Q_EMIT self->problem(tr("The picture cannot be added: %1").arg(error));
                    return;
                }
                QString keepError;
                if (!onDisk && !self->m_images->files().putPending(prepared.hash, prepared.bytes, &keepError)) {
                    Q_EMIT self->problem(tr("The picture cannot be added: %1").arg(keepError));
                    return;
                }
                self->submitImage(prepared.hash, prepared.bytes.size(), prepared.image.size(), at);
            },
            Qt::QueuedConnection);
    });
    return true;
}

bool Session::addImageFile(const QUrl &file, const QPointF &at)
{
    if (!file.isLocalFile()) {
        Q_EMIT problem(
            tr("Only pictures on this computer can be added (%1 is not a local file).").arg(file.toDisplayString()));
        return false;
    }
    const QString path = file.toLocalFile();
    return prepareInBackground(
        [path] {
            render::PreparedImage failed;
            QFile source(path);
            if (!source.open(QIODevice::ReadOnly)) {
                failed.error = u"%1 cannot be read: %2"_s.arg(path, source.errorString());
                return failed;
            }
            if (source.size() > kMaxSourceFileBytes) {
                failed.error = u"%1 is %2 MB; pictures of up to %3 MB can be added"_s.arg(path)
                                   .arg(source.size() / (1024 * 1024))
                                   .arg(kMaxSourceFileBytes / (1024 * 1024));
                return failed;
            }
            return render::prepareImageFile(source.readAll());
        },
        at);
}

bool Session::addPicture(const QImage &picture, const QPointF &at)
{
    return prepareInBackground([picture] { return render::prepareImage(picture); }, at);
}

bool Session::clipboardHasImage() const
{
    const auto *app = qobject_cast<QGuiApplication *>(QCoreApplication::instance());
    if (!app)
        return false;
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    if (!data)
        return false;
    if (data->hasImage())
        return true;
    const QList<QUrl> urls = data->urls();
    return urls.size() == 1 && urls.first().isLocalFile();
}

bool Session::pasteImage(const QPointF &at)
{
    const auto *app = qobject_cast<QGuiApplication *>(QCoreApplication::instance());
    const QMimeData *data = app ? QGuiApplication::clipboard()->mimeData() : nullptr;
    if (!data) {
        Q_EMIT problem(tr("There is no picture on the clipboard."));
        return false;
    }
    // A file copied in a file manager: its own bytes (a JPEG stays a JPEG).
    const QList<QUrl> urls = data->urls();
    if (!data->hasImage() && urls.size() == 1 && urls.first().isLocalFile())
        return addImageFile(urls.first(), at);
    const QImage picture = qvariant_cast<QImage>(data->imageData());
    if (picture.isNull()) {
        Q_EMIT problem(tr("There is no picture on the clipboard."));
        return false;
    }
    return addPicture(picture, at);
}

} // namespace inkroom::client
