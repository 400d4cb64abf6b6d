#include "privatefiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace inkroom::files {

namespace {
constexpr QFile::Permissions kOwnerFile = QFile::ReadOwner | QFile::WriteOwner;
constexpr QFile::Permissions kOwnerDirectory = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
constexpr QFile::Permissions kOthers =
    QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
} // namespace

bool makePrivateDirectory(const QString &directory, bool *widened)
{
    const QFileInfo info(directory);
    if (info.isDir()) {
        if (widened)
            *widened = (QFile::permissions(directory) & kOthers) != 0;
        return true;
    }
    const QString parent = info.absolutePath();
    if (!QDir().mkpath(parent))
        return false;
    if (!QDir().mkdir(directory, kOwnerDirectory) && !QFileInfo(directory).isDir())
        return false;
    if (widened)
        *widened = false;
    return true;
}

bool preparePrivateDatabase(const QString &path, QString *error)
{
    if (path.isEmpty() || path.startsWith(u':'))
        return true; // in memory
    if (!QFileInfo::exists(path)) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerFile) && !QFileInfo::exists(path)) {
            if (error)
                *error = u"cannot create %1: %2"_s.arg(path, file.errorString());
            return false;
        }
    }
    // Files of an older version were made 0644: others lose what they had, the owner keeps what it had (a file made
    // read-only stays so). Setting the mode fails only on a file this user does not own, which it could not have
    // made: left as it is (opening it says whatever else is wrong).
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s, u"-journal"_s}) {
        const QString file = path + suffix;
        const QFile::Permissions mode = QFile::permissions(file) & (kOwnerDirectory | kOthers);
        if (QFileInfo::exists(file) && (mode & kOthers))
            (void)QFile::setPermissions(file, mode & ~kOthers);
    }
    return true;
}

} // namespace inkroom::files
