#pragma once

#include "imagefiles.h"
#include "protocol.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace inkroom::client {

/** @brief Moves images between this client and the room (docs/PROTOCOL.md, "Images"): uploads the pictures of changes
 *  in the outbox before the changes themselves, fetches the pictures of items on the board, and keeps both on disk.
 *
 * Uploads go one at a time, one chunk at a time (blob_offer, then blob_put from where the server stands, so a lost
 * connection resumes mid-upload); the Outbox holds an image op back until isOnServer() says its blob is there. A
 * refusal for good (too large, the room full, view only, a bad image) is reported with uploadRefused() so the changes
 * that show it are refused with the server's words. Fetches go one chunk at a time too; what arrives is checked
 * (hash), cached, decoded off the GUI thread with limits, and put in the ImageLibrary the painter draws from.
 *
 * No sockets: the Session tells it when the link is up and gives it a function to send with.
 */
class ImageTransfer : public QObject
{
    Q_OBJECT
public:
    explicit ImageTransfer(QObject *parent = nullptr);
    ~ImageTransfer() override;

    void setSender(std::function<void(const proto::Message &)> send) { m_send = std::move(send); }
    //! Where image bytes are kept (the session's state directory; empty: memory only). Forgets what was going on.
    void setDirectory(const QString &stateDirectory);
    [[nodiscard]] ImageFiles &files() { return m_files; }
    //! The retry pause after a transient refusal (tests make it short).
    void setRetryMs(int ms) { m_retryMs = ms; }

    void linkUp();
    void linkDown();
    //! The room's log was replaced: nothing is known to be on the server any more.
    void reset();
    void dispatch(const proto::Message &message);

    //! The room has this blob (uploaded from here, or seen in the room's own log): ops naming it may go.
    [[nodiscard]] bool isOnServer(const QString &hash) const { return m_onServer.contains(hash); }
    //! An item of the room's log names hash: the room has it.
    void seenOnServer(const QString &hash);
    //! Upload hash (its bytes are pending in files()) before the ops that show it.
    void upload(const QString &hash, qint64 size);
    //! Make sure the picture of hash is drawn: from the library, the disk, or fetched from the room.
    void want(const QString &hash, qint64 size);
    //! Uploads, fetches and decodes not finished.
    [[nodiscard]] int busyCount() const { return int(m_uploads.size() + m_fetches.size() + m_decoding.size()); }

Q_SIGNALS:
    //! The room has hash now: ops waiting for it may go.
    void uploaded(const QString &hash);
    //! The room refused the image for good (code, the server's words).
    void uploadRefused(const QString &hash, proto::ErrorCode code, const QString &message);
    //! The picture of hash is in the ImageLibrary (or could not be decoded: error says why).
    void pictureReady(const QString &hash, const QString &error);
    void busyChanged();

private:
    struct Upload
    {
        QString hash;
        qint64 size = 0;
    };
    struct Fetch
    {
        QString hash;
        qint64 size = 0;
        QByteArray bytes;
    };
    void onStatus(const proto::BlobStatus &status);
    void onData(const proto::BlobData &data);
    void pumpUpload();
    void pumpFetch();
    void sendChunk(const QString &hash, qint64 offset);
    //! Decode bytes (empty: read them from files() on the worker) into the library; cache: keep them on disk.
    void decode(const QString &hash, const QByteArray &bytes, bool cache, qint64 size);
    void retryLater();

    std::function<void(const proto::Message &)> m_send;
    ImageFiles m_files;
    bool m_linkUp = false;
    QSet<QString> m_onServer;
    QList<Upload> m_uploads; //!< in order; the first is the one going
    bool m_uploadInFlight = false;
    QByteArray m_uploadBytes; //!< of the first upload, read once
    QList<Fetch> m_fetches; //!< the first is the one going
    bool m_fetchInFlight = false;
    QSet<QString> m_decoding;
    QSet<QString> m_failed; //!< pictures that did not decode: not fetched again
    QTimer m_retry;
    int m_retryMs = 1000;
    quint64 m_generation = 0; //!< bumped by setDirectory(): late decodes of another session are dropped
};

} // namespace inkroom::client
