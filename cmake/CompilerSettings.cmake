# Warnings and Qt hygiene shared by every Inkroom target.
# Targets opt in with inkroom_target_settings(<target>).

set(INKROOM_WARNINGS
    -Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual)

function(inkroom_target_settings target)
    target_compile_options(${target} PRIVATE ${INKROOM_WARNINGS})
    if(INKROOM_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_USE_QSTRINGBUILDER
        QT_NO_KEYWORDS
        # The one version every executable prints (--version) and the package carries: project(VERSION).
        INKROOM_VERSION="${CMAKE_PROJECT_VERSION}")
endfunction()
