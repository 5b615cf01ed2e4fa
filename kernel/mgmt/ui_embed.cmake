# Turns the web UI files into C++ byte arrays, run at build time by kernel/mgmt/CMakeLists.txt:
#   cmake -DINPUT_DIR=<dir> -DFILES=a.html,b.js -DOUTPUT=<file.cpp> -P ui_embed.cmake
# The output defines mgmt::embedded_ui_files() (see ui_asset_data.hpp). It is rewritten only when
# its content changes, so an unchanged UI does not relink the binary.
string(REPLACE "," ";" files "${FILES}")
string(REPEAT "0x[0-9a-f][0-9a-f]," 20 twenty_bytes)  # CMake regexes have no {n}
set(arrays "")
set(entries "")
set(index 0)
foreach(name IN LISTS files)
  file(READ "${INPUT_DIR}/${name}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(${twenty_bytes})" "\\1\n    " bytes "${bytes}")
  string(APPEND arrays "// ${name}\nconstexpr unsigned char k_file_${index}[] = {\n    ${bytes}0x00};\n\n")
  string(APPEND entries "    {\"${name}\", {reinterpret_cast<const char*>(k_file_${index}), ${size}}},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(content "// Generated from kernel/mgmt/ui/ by kernel/mgmt/ui_embed.cmake. Do not edit.
#include \"kernel/mgmt/ui_asset_data.hpp\"

namespace mcpproxy::mgmt {
namespace {

${arrays}const EmbeddedFile k_files[] = {
${entries}};

}  // namespace

std::span<const EmbeddedFile> embedded_ui_files() { return k_files; }

}  // namespace mcpproxy::mgmt
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
