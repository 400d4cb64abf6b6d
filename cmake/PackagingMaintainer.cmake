# Read by cpack when it runs (CPACK_PROJECT_CONFIG_FILE): the package's Maintainer. INKROOM_MAINTAINER, when it was
# set at configure time, or DEBFULLNAME <DEBEMAIL> from the environment, as dch and dh_make take them. A package
# never goes out with a placeholder: no address, or one of the addresses kept for examples and tests.
if(NOT CPACK_PACKAGE_CONTACT AND DEFINED ENV{DEBEMAIL} AND NOT "$ENV{DEBEMAIL}" STREQUAL "")
    if(DEFINED ENV{DEBFULLNAME} AND NOT "$ENV{DEBFULLNAME}" STREQUAL "")
        set(CPACK_PACKAGE_CONTACT "$ENV{DEBFULLNAME} <$ENV{DEBEMAIL}>")
    else()
        set(CPACK_PACKAGE_CONTACT "$ENV{DEBEMAIL}")
    endif()
endif()
if(NOT CPACK_PACKAGE_CONTACT MATCHES "^[^<>]+ <[^<>@ ]+@[^<>@ ]+\\.[^<>@ ]+>$")
    message(FATAL_ERROR "The package needs a maintainer, \"Name <address>\": set DEBFULLNAME and DEBEMAIL (or "
                        "configure with -DINKROOM_MAINTAINER=...). Got \"${CPACK_PACKAGE_CONTACT}\".")
endif()
string(TOLOWER "${CPACK_PACKAGE_CONTACT}" contact)
if(contact MATCHES "noreply|no-reply|@example\\.|\\.example>|\\.invalid>|@localhost")
    message(FATAL_ERROR "\"${CPACK_PACKAGE_CONTACT}\" is a placeholder, not an address people can write to: set "
                        "DEBFULLNAME and DEBEMAIL to the packager's own.")
endif()
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
