#include "imagelibrary.h"

namespace inkroom::render {

ImageLibrary &ImageLibrary::instance()
{
    static ImageLibrary library;
    return library;
}

void ImageLibrary::insert(const QString &hash, const QImage &image)
{
    if (image.isNull())
        return;
    {
        QWriteLocker lock(&m_lock);
        m_images.insert(hash, image);
    }
    Q_EMIT imageAdded(hash);
}

QImage ImageLibrary::image(const QString &hash) const
{
    QReadLocker lock(&m_lock);
    return m_images.value(hash);
}

bool ImageLibrary::contains(const QString &hash) const
{
    QReadLocker lock(&m_lock);
    return m_images.contains(hash);
}

void ImageLibrary::clear()
{
    QWriteLocker lock(&m_lock);
    m_images.clear();
}

} // namespace inkroom::render
