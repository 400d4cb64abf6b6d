#pragma once

#include <QString>

//! Files only their owner may read: the server's database and the client's journal hold passwords' hashes, client
//! secrets' hashes, and everything people drew and wrote.
namespace inkroom::files {

/** Create directory (and its parents) if it is missing; a directory made here is mode 0700. An existing one keeps
 *  its mode (it may be the user's own folder), but *widened says whether others may enter it. */
[[nodiscard]] bool makePrivateDirectory(const QString &directory, bool *widened = nullptr);

/** An SQLite database about to be opened: the file is created empty with mode 0600 when it is missing, and the file
 *  and its -wal, -shm and -journal companions that exist lose every permission of others (SQLite gives the companions
 *  it creates the database's mode). False (and *error) when the file cannot be created. */
[[nodiscard]] bool preparePrivateDatabase(const QString &path, QString *error = nullptr);

} // namespace inkroom::files
