#pragma once

#include <QHash>
#include <QImage>
#include <QObject>
#include <QReadWriteLock>
#include <QString>

namespace inkroom::render {

/** @brief The decoded pictures of the board's image items, by blob hash: what paintItem() draws an image with.
 *
 * One per process (instance()), shared by the canvas, its tiles, the exports and the replay, so a picture is decoded
 * once however often it is drawn. Thread-safe: tiles are painted on worker threads. An image item whose picture is
 * not here yet is drawn as a grey placeholder; imageAdded() says when to draw it again.
 */
class ImageLibrary : public QObject
{
    Q_OBJECT
public:
    static ImageLibrary &instance();

    //! Keep the decoded picture of blob hash (a null image is ignored).
    void insert(const QString &hash, const QImage &image);
    [[nodiscard]] QImage image(const QString &hash) const;
    [[nodiscard]] bool contains(const QString &hash) const;
    //! Forget every picture (tests).
    void clear();

Q_SIGNALS:
    //! A picture arrived: items showing blob hash are to be drawn again. Emitted on the inserting thread.
    void imageAdded(const QString &hash);

private:
    ImageLibrary() = default;
    mutable QReadWriteLock m_lock;
    QHash<QString, QImage> m_images;
};

} // namespace inkroom::render
